//! `sandbox serve` and `sandbox demo` through the real binary.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestEnv, assert_code, json, stderr, stdout};
use serde_json::json;

/// A `psa-link sandbox serve` child, killed on drop.
struct Served {
    child: Child,
    lines: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(env: &TestEnv, extra: &[&str]) -> Served {
    let mut child: Child = Command::new(assert_cmd::cargo::cargo_bin!("psa-link"))
        .args(["sandbox", "serve", "--port", "0"])
        .args(extra)
        .env("PSA_LINK_HOME", env.config_dir())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sandbox serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read line");
        let done = line.starts_with("psa-link incident push");
        lines.push(line);
        if done || Instant::now() > deadline {
            break;
        }
    }
    Served { child, lines }
}

/// Splits a printed shell line into words (single quotes as `shell_line` writes them).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => quoted = !quoted,
            '\\' if !quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn serve_prints_commands_that_configure_psa_link_against_it() {
    let mut env = TestEnv::new();
    let served = serve(&env, &["--psa", "connectwise"]);
    assert!(
        served
            .lines
            .iter()
            .any(|l| l.starts_with("psa-link integration add connectwise")),
        "{:?}",
        served.lines
    );
    for line in &served.lines {
        if let Some(assign) = line.strip_prefix("export ") {
            let (k, v) = assign.split_once('=').expect("export K=V");
            if k != "PSA_LINK_HOME" {
                env.env(k, words(v).concat());
            }
        }
    }
    for line in served.lines.iter().filter(|l| {
        l.starts_with("psa-link source set") || l.starts_with("psa-link integration add")
    }) {
        let args = words(line);
        let refs: Vec<&str> = args[1..].iter().map(String::as_str).collect();
        let out = env.run(&refs);
        assert_code(&out, 0);
    }
    let out = env.run(&["source", "test", "--json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["ok"], true);
}

/// Bare `sandbox` takes `serve`'s settings from PSA_LINK_SANDBOX_* and names where each
/// emulator switches its own faults (Huntress faults at the Huntress URL).
#[test]
fn bare_sandbox_reads_its_variables_and_names_both_fault_urls() {
    let env = TestEnv::new();
    let mut child = env
        .std_cmd()
        .args(["sandbox", "--json"])
        .env("PSA_LINK_SANDBOX_PORT", "0")
        .env("PSA_LINK_SANDBOX_PSA", "connectwise")
        .env("PSA_LINK_SANDBOX_FAULT", "huntress:rate-limit")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let mut text = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read line");
        let end = line == "}";
        text.push_str(&line);
        text.push('\n');
        if end {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let doc: serde_json::Value = serde_json::from_str(&text).expect(&text);
    assert_eq!(doc["psa"]["kind"], "connectwise");
    assert_eq!(doc["faults"], serde_json::json!(["huntress:rate-limit"]));
    let huntress = doc["huntress"]["url"].as_str().unwrap();
    assert!(
        !huntress.ends_with(":18480"),
        "PSA_LINK_SANDBOX_PORT=0: {huntress}"
    );
    assert_eq!(
        doc["huntress"]["faults_url"],
        format!("{huntress}/_sandbox/faults")
    );
    assert_eq!(
        doc["psa"]["faults_url"],
        format!("{}/_sandbox/faults", doc["psa"]["url"].as_str().unwrap())
    );
}

#[test]
fn fault_list_names_every_switch_and_unknown_faults_are_refused() {
    let env = TestEnv::new();
    let out = env.run(&["sandbox", "serve", "--port", "0", "--fault", "list"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    for fault in [
        "mandatory-fields",
        "no-read-back",
        "no-general-user",
        "rate-limit",
    ] {
        assert!(text.contains(fault), "{fault} missing:\n{text}");
    }
    let out = env.run(&[
        "sandbox",
        "serve",
        "--port",
        "0",
        "--fault",
        "no-such-fault",
    ]);
    // A misspelt fault is a usage error, not an unexpected failure.
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("no-read-back"),
        "the error lists the valid faults: {}",
        stderr(&out)
    );
}

/// `sandbox demo` runs the whole story green for every emulated PSA (issue #5: "runs green
/// from a fresh clone, in CI too").
fn the_demo_runs_the_whole_story_green(kind: psa_link::psa::PsaKind) {
    demo_tells_the_whole_story(kind, &TestEnv::new());
}

/// Variables a user may well have exported for their own runs must not reach the demo's
/// steps: before, a dry run pushed nothing, a watch never ended, a strict or
/// fail-on-unmapped map stopped the story, `--secret-stdin` read an empty stdin, and a
/// real auth host sent the sandbox's credentials elsewhere.
#[test]
fn the_demo_ignores_psa_link_variables_left_in_the_environment() {
    let mut env = TestEnv::new();
    for (name, value) in [
        ("PSA_LINK_DRY_RUN", "1"),
        ("PSA_LINK_WATCH", "300"),
        ("PSA_LINK_STRICT", "1"),
        ("PSA_LINK_FAIL_ON_UNMAPPED", "1"),
        ("PSA_LINK_IN_SOURCE", "1"),
        ("PSA_LINK_SECRET_STDIN", "1"),
        ("PSA_LINK_SECRET_STORE", "keyring"),
        ("PSA_LINK_HALOPSA_AUTH_HOST", "auth.halo.invalid"),
        ("PSA_LINK_HALOPSA_TICKET_TYPE", "No Such Type"),
        ("PSA_LINK_ORG", "No Such Organization"),
        ("PSA_LINK_FILTER", "stale"),
    ] {
        env.env(name, value);
    }
    demo_tells_the_whole_story(psa_link::psa::PsaKind::Halopsa, &env);
}

fn demo_tells_the_whole_story(kind: psa_link::psa::PsaKind, env: &TestEnv) {
    let out = env.run(&["sandbox", "demo", "--psa", kind.id(), "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["ok"], true);
    let steps: Vec<&str> = doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["command"].as_str().unwrap())
        .collect();
    for expected in [
        "map auto",
        "integration test",
        "incident push --all-open",
        "incident sync",
        "incident list",
    ] {
        assert!(
            steps.iter().any(|s| s.contains(expected)),
            "{expected} not run: {steps:?}"
        );
    }
    let tickets = doc["tickets"].as_array().unwrap();
    assert!(
        tickets.len() >= 10,
        "open incidents ticketed: {}",
        tickets.len()
    );
    assert!(
        tickets.iter().any(|t| t["closed"] == true),
        "the loop closed at least one ticket"
    );
    let ticket_of = |incident: i64| {
        let found: Vec<&serde_json::Value> = tickets
            .iter()
            .filter(|t| t["incident_id"] == incident)
            .collect();
        assert_eq!(found.len(), 1, "incident {incident}: {found:?}");
        found[0].clone()
    };
    let changed = |change: &str| {
        doc["soc_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["change"] == change)
            .and_then(|c| c["incident_id"].as_i64())
            .unwrap_or_else(|| panic!("no {change} in {}", doc["soc_changes"]))
    };
    // The severity change moved the priority (the title keeps the creation severity).
    let raised = ticket_of(changed("severity"));
    assert_eq!(
        raised["priority"], doc["priority_map"]["critical"],
        "{raised}"
    );
    // The approval moved the status.
    let approved = ticket_of(changed("approved"));
    assert_eq!(
        approved["status"], doc["status_map"]["remediation-approved"],
        "{approved}"
    );
    // One sync followed all three.
    let sync = &doc["sync"]["summary"];
    assert_eq!(
        (
            &sync["updated"],
            &sync["status"],
            &sync["resolved"],
            &sync["failed"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(0)),
        "{sync}"
    );
    // Resolved by the SOC, and by hand with `incident resolve`: both closed.
    let by_hand = doc["resolved_by_hand"].as_i64().expect("a resolve step");
    assert!(
        steps.contains(&format!("psa-link incident resolve {by_hand}").as_str()),
        "{steps:?}"
    );
    for incident in [changed("resolved"), by_hand] {
        let t = ticket_of(incident);
        assert_eq!(t["closed"], true, "{t}");
        assert_eq!(t["status"], doc["status_map"]["resolved"], "{t}");
    }
    // Able Moose's incident ticket is under Able Moose.
    assert_eq!(ticket_of(90001)["company"], "Able Moose Accounting");
    let err = stderr(&out);
    assert!(
        err.contains("$ psa-link map auto"),
        "each command is shown before it runs:\n{err}"
    );
}

crate::each_psa!(the_demo_runs_the_whole_story_green);

/// Bare `sandbox` reads serve's variables by the same rules as every flag: an empty one
/// counts as unset (before: "error: error: invalid value ''", exit 2), and a bad one is
/// one usage error naming its variable.
#[test]
fn bare_sandbox_takes_empty_variables_as_unset() {
    let env = TestEnv::new();
    let mut child = env
        .std_cmd()
        .args(["sandbox", "--json"])
        .env("PSA_LINK_SANDBOX_PORT", "0")
        .env("PSA_LINK_SANDBOX_LATENCY_MS", "")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let first = BufReader::new(stdout).lines().next();
    let _ = child.kill();
    let _ = child.wait();
    let first = first.expect("a document on stdout").expect("read line");
    assert_eq!(first, "{", "the sandbox started");

    let out = env
        .cmd()
        .args(["sandbox"])
        .env("PSA_LINK_SANDBOX_PORT", "port")
        .output()
        .expect("run psa-link");
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(!err.contains("error: error:"), "{err}");
    assert!(err.contains("invalid value 'port'"), "{err}");
    assert!(err.contains("PSA_LINK_SANDBOX_PORT"), "{err}");
}
