//! Configuring psa-link against the sandbox through the real commands: `source set
//! huntress`, `source test`, `integration add` for every emulated PSA.

use psa_link::psa::PsaKind;

use crate::common::world::World;
use crate::common::{assert_code, json, stderr};
use crate::each_psa;

fn integration_add_resolves_names_and_proposes_maps(kind: PsaKind) {
    let world = World::new(kind);
    world.configure_source();
    let mut args = world.sandbox.integration_args();
    args.push("--json".into());
    let out = world.run_args(&args);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["integration"]["kind"], kind.id());
    assert_eq!(
        doc["integration"]["default_company"]["name"],
        "Northwind MSP (Internal)"
    );
    assert!(
        doc["integration"]["routing"]["id"].is_string(),
        "routing resolved to an id: {doc}"
    );
    assert!(doc["companies"].as_u64().unwrap() > 30);
    let events: Vec<&str> = doc["status_map"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(
        events.contains(&"created") && events.contains(&"resolved"),
        "{events:?}"
    );
    let severities: Vec<&str> = doc["priority_map"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["severity"].as_str().unwrap())
        .collect();
    assert_eq!(
        severities.len(),
        3,
        "every severity gets a priority: {severities:?}"
    );
    // The secret came from the environment: nothing is stored, nothing printed.
    let (var, secret) = world.sandbox.psa.secret_env();
    assert!(!stderr(&out).contains(&secret), "{var} leaked");
    let config = std::fs::read_to_string(world.path("config.toml")).unwrap();
    assert!(!config.contains(&secret), "secret written to config.toml");
    assert!(!world.path("secrets.toml").exists());
}

fn a_second_integration_is_refused_without_replace(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run_args(&world.sandbox.integration_args());
    assert_code(&out, 3);
    assert!(stderr(&out).contains("--replace"), "{}", stderr(&out));
    let mut args = world.sandbox.integration_args();
    args.push("--replace".into());
    assert_code(&world.run_args(&args), 0);
}

fn an_unknown_routing_name_lists_the_valid_ones(kind: PsaKind) {
    let world = World::new(kind);
    let mut args = world.sandbox.integration_args();
    let flag = args
        .iter()
        .position(|a| a == "--ticket-type" || a == "--board")
        .expect("routing flag");
    args[flag + 1] = "Huntres Incidnt".into();
    let out = world.run_args(&args);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("did you mean"), "{err}");
    assert!(
        !world.path("config.toml").exists(),
        "nothing written on failure"
    );
}

fn source_test_verifies_the_huntress_account(kind: PsaKind) {
    let world = World::new(kind);
    world.configure_source();
    let out = world.run(&["source", "test", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["account"]["name"], "Northwind MSP");
    assert!(doc["organizations"].as_u64().unwrap() >= 36);
}

each_psa!(
    integration_add_resolves_names_and_proposes_maps,
    a_second_integration_is_refused_without_replace,
    an_unknown_routing_name_lists_the_valid_ones,
    source_test_verifies_the_huntress_account,
);

#[test]
fn a_wrong_huntress_secret_exits_4_with_the_fix() {
    let mut world = World::new(PsaKind::Halopsa);
    world
        .env
        .env("PSA_LINK_HUNTRESS_API_SECRET", "not-the-secret");
    let out = world.run_args(&world.sandbox.source_args());
    assert_code(&out, 4);
    let err = stderr(&out);
    assert!(err.contains("api_credentials"), "{err}");
    assert!(!err.contains("not-the-secret"), "secret echoed: {err}");
}

#[test]
fn a_halo_host_with_scheme_or_api_is_refused_with_the_fix() {
    let world = World::new(PsaKind::Halopsa);
    for bad in ["https://acme.halopsa.com", "acme.halopsa.com/api"] {
        let out = world.run(&[
            "integration",
            "add",
            "halopsa",
            "--host",
            bad,
            "--client-id",
            "x",
        ]);
        assert_code(&out, 3);
        assert!(stderr(&out).contains("base domain"), "{}", stderr(&out));
    }
}
