//! The mapping engine: source organizations x live PSA companies x stored mapping -> new
//! mapping and a report. Pure: no I/O.
