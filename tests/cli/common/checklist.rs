//! Reading `integration test --json` documents: a step by name, its fix, and the ticket it
//! made as the emulator holds it.

use std::process::Output;

use psa_link::sandbox::EmulatedTicket;
use serde_json::Value;

use super::json;
use super::world::World;

/// Runs `integration test --json` with `extra` flags: its output and its document.
pub fn test_json(world: &World, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["integration", "test", "--json"];
    args.extend_from_slice(extra);
    let out = world.run(&args);
    let doc = json(&out);
    (out, doc)
}

/// The checklist step called `name`; panics with the whole document when it is missing.
pub fn step<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name}: {doc}"))
}

/// The fix printed for step `name` (empty when it has none).
pub fn fix(doc: &Value, name: &str) -> String {
    step(doc, name)["fix"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The test ticket named by the document's `ticket_id`, read from the PSA emulator.
pub fn ticket(world: &World, doc: &Value) -> EmulatedTicket {
    let id = doc["ticket_id"].as_i64().expect("ticket id");
    world
        .sandbox
        .psa
        .ticket(id)
        .expect("ticket in the emulator")
}
