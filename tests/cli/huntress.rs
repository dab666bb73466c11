//! Issue #2 "done when", through the binary: Huntress paging over several pages at the
//! minimum request count, a 429 waited out, and no secret in `-vv` traces.

use base64::Engine;
use psa_link::psa::PsaKind;
use psa_link::sandbox::huntress::{HuntressEmulator, SANDBOX_USER_API_KEY};
use psa_link::sandbox::launch::SandboxOptions;
use psa_link::sandbox::seed::Msp;
use psa_link::source::huntress::PAGE_LIMIT;
use psa_link::store::{CompanyRef, How, MappingEntry, Store};

use crate::common::world::World;
use crate::common::{assert_code, json, stderr, stdout};
use crate::each_psa;

#[test]
fn organizations_are_paged_at_the_minimum_request_count() {
    let orgs = 1200;
    let world = World::with(
        Msp::generated(orgs, orgs + 1, 0),
        SandboxOptions::new(PsaKind::Halopsa),
    );
    world.configure_source();
    world.sandbox.huntress_server.clear_log();
    let out = world.run(&["source", "test", "--json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["organizations"], orgs);
    let pages = orgs.div_ceil(PAGE_LIMIT as usize);
    assert!(pages > 1, "several pages");
    assert_eq!(
        world
            .sandbox
            .huntress_server
            .count("GET", "/v1/organizations"),
        pages,
        "one request per page of {PAGE_LIMIT}"
    );
}

#[test]
fn a_huntress_429_is_waited_out_then_succeeds() {
    // Four requests in one run (account, three pages) against a window of three a second.
    let world = World::with(
        Msp::generated(1200, 1201, 0),
        SandboxOptions::new(PsaKind::Halopsa),
    );
    world.configure_source();
    // Huntress's own switch (the PSA emulator has one of the same name).
    world
        .sandbox
        .huntress_server
        .set_fault("rate-limit", true)
        .unwrap();
    world.sandbox.huntress_server.clear_log();
    let out = world.run(&["source", "test", "--json"]);
    assert_code(&out, 0);
    assert_eq!(
        json(&out)["organizations"],
        1200,
        "every page, after the wait"
    );
    let throttled = world
        .sandbox
        .huntress_server
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    assert!(throttled > 0, "the window was hit");
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.starts_with("waiting ") && l.contains("Huntress answered 429")),
        "the wait is reported: {err}"
    );
}

/// Every secret of the sandbox, and the Basic credentials built from them.
fn secrets(world: &World) -> Vec<String> {
    let mut values: Vec<String> = world.sandbox.env().into_iter().map(|(_, v)| v).collect();
    let huntress = HuntressEmulator::secret(true);
    values.push(
        base64::engine::general_purpose::STANDARD
            .encode(format!("{SANDBOX_USER_API_KEY}:{huntress}")),
    );
    values
}

#[track_caller]
fn assert_no_secret(world: &World, out: &std::process::Output) {
    let text = format!("{}\n{}", stdout(out), stderr(out));
    for secret in secrets(world) {
        assert!(!text.contains(&secret), "secret leaked in -vv output");
    }
    assert!(
        text.contains("authorization: [REDACTED]") || text.contains("Authorization: [REDACTED]"),
        "Authorization shown masked: {text}"
    );
}

fn no_secret_appears_in_vv_traces(kind: PsaKind) {
    let world = World::configured(kind);
    let out = world.run(&["source", "test", "-vv"]);
    assert_code(&out, 0);
    assert_no_secret(&world, &out);

    // The test ticket for a named organization touches Huntress and the PSA.
    let name = "Able Moose Accounting";
    let org = world
        .sandbox
        .msp
        .organizations
        .iter()
        .find(|o| o.name == name)
        .unwrap()
        .id;
    let company = world.sandbox.psa.company_id(name).unwrap();
    Store::open(world.config_dir())
        .edit_mapping(|m| {
            m.set(
                org,
                &MappingEntry {
                    name: name.into(),
                    company: CompanyRef {
                        id: company,
                        name: name.into(),
                    },
                    how: How::Auto,
                },
            );
            Ok(())
        })
        .unwrap();
    let out = world.run(&["integration", "test", "-vv", "--org", name]);
    assert_code(&out, 0);
    assert_no_secret(&world, &out);
    let err = stderr(&out);
    assert!(err.contains("/v1/organizations"), "Huntress traced: {err}");
}

each_psa!(no_secret_appears_in_vv_traces);

/// SPEC §7: a request that never finishes times out with the URL and how long it waited,
/// and exits 8 — it never spins forever.
#[test]
fn a_service_that_never_answers_times_out_naming_the_url() {
    use std::net::TcpListener;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accept connections and hold them open without ever answering.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let mut env = crate::common::TestEnv::new();
    env.env("PSA_LINK_HUNTRESS_API_SECRET", "whatever-secret")
        .env("PSA_LINK_HTTP_TIMEOUT", "1");
    let out = env.run(&[
        "source",
        "set",
        "huntress",
        "--api-key",
        "k",
        "--base-url",
        &url,
        "--no-verify",
    ]);
    crate::common::assert_code(&out, 0);
    let started = std::time::Instant::now();
    let out = env.run(&["source", "test"]);
    crate::common::assert_code(&out, 8);
    let err = crate::common::stderr(&out);
    assert!(
        err.contains(&format!("{url}/v1/account")),
        "names the URL: {err}"
    );
    assert!(err.contains("did not answer"), "says it timed out: {err}");
    assert!(err.contains("1s"), "says how long it waited: {err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "gave up in bounded time"
    );
}
