//! ConnectWise-only behaviour through the real binary: cloud's 404-for-bad-auth on record
//! endpoints, the web host refused at `integration add`, the stored codebase.

use psa_link::psa::PsaKind;
use psa_link::sandbox::connectwise::CODEBASE;

use crate::common::world::World;
use crate::common::{assert_code, stderr};

const FABRIKAM: i64 = 90003;

/// A configured ConnectWise world whose PSA now refuses the key the way ConnectWise cloud
/// does: 404 on every path.
fn refused_like_cloud() -> World {
    let mut world = World::configured(PsaKind::Connectwise);
    let out = world.run(&["incident", "push", &FABRIKAM.to_string()]);
    assert_code(&out, 0);
    world.sandbox.set_fault("cloud-auth-404", true).unwrap();
    world
        .env
        .env("PSA_LINK_CONNECTWISE_PRIVATE_KEY", "WrongPrivateKey-4711");
    world
}

fn assert_refused_key(out: &std::process::Output) {
    assert_code(out, 4);
    let err = stderr(out);
    assert!(err.contains("404"), "{err}");
    assert!(
        err.contains("--public-key"),
        "the fix names the keys: {err}"
    );
    assert!(
        !err.contains("WrongPrivateKey-4711"),
        "secret echoed: {err}"
    );
}

#[test]
fn status_map_set_under_cloud_404_for_bad_auth_exits_4() {
    let world = refused_like_cloud();
    assert_refused_key(&world.run(&["status-map", "set", "resolved", "Resolved"]));
}

#[test]
fn incident_resolve_under_cloud_404_for_bad_auth_exits_4() {
    let world = refused_like_cloud();
    assert_refused_key(&world.run(&["incident", "resolve", &FABRIKAM.to_string()]));
}

#[test]
fn the_web_host_is_refused_with_the_api_host_as_fix() {
    let world = World::new(PsaKind::Connectwise);
    let out = world.run(&[
        "integration",
        "add",
        "connectwise",
        "--site",
        "na.myconnectwise.net",
        "--company",
        "northwind",
        "--public-key",
        "pub",
        "--client-id",
        "5a0f6c1e-8b2d-4c7e-9f3a-2d6b8e1c4a70",
    ]);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("--site api-na.myconnectwise.net"), "{err}");
}

#[test]
fn the_codebase_is_stored_at_add_and_not_looked_up_again() {
    let world = World::configured(PsaKind::Connectwise);
    let config = world.config_text();
    assert!(
        config.contains(&format!("codebase = \"{CODEBASE}\"")),
        "{config}"
    );
    world.sandbox.psa_server.clear_log();
    let out = world.run(&["incident", "push", &FABRIKAM.to_string()]);
    assert_code(&out, 0);
    assert_eq!(world.sandbox.psa.tickets().len(), 1);
    assert_eq!(
        world.sandbox.psa_server.count("GET", "/login/companyinfo"),
        0,
        "the stored codebase is used"
    );
}
