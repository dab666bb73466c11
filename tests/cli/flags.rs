//! The command-line contract around flags (SPEC §4-§5): every non-secret flag read from a
//! `PSA_LINK_*` variable, boolean variables as 1/0/yes/no, empty variables as unset,
//! `--json` usage errors, secrets from stdin or a 0600 file, never a hang without a
//! terminal, and concurrent runs that lose nothing.

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::Duration;

use psa_link::psa::PsaKind;
use psa_link::sandbox::seed::Msp;

use crate::common::world::World;
use crate::common::{TestEnv, assert_code, code, json, stderr, stdout, wait_exit};

/// A file source with no organizations: a command that succeeds with no network.
fn empty_source(env: &TestEnv) -> String {
    let path = env.home.path().join("source.json");
    std::fs::write(&path, r#"{"organizations": []}"#).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn boolean_variables_take_one_zero_yes_and_no() {
    let mut env = TestEnv::new();
    let source = empty_source(&env);
    // Before: literal booleans only, so PSA_LINK_YES=1 exited 2 on every command.
    env.env("PSA_LINK_YES", "1");
    env.env("PSA_LINK_QUIET", "1");
    let out = env.run(&["source", "set", "file", &source]);
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "", "PSA_LINK_QUIET=1 silences status lines");

    env.env("PSA_LINK_QUIET", "0");
    env.env("PSA_LINK_YES", "no");
    let out = env.run(&["source", "set", "file", &source]);
    assert_code(&out, 0);
    assert_ne!(stderr(&out), "", "PSA_LINK_QUIET=0 is off");

    env.env("PSA_LINK_JSON", "1");
    let out = env.run(&["source", "show"]);
    assert_code(&out, 0);
    assert!(json(&out).is_object());

    env.env("PSA_LINK_JSON", "yes");
    let out = env.run(&["integration", "show"]);
    assert_code(&out, 3);
    assert_eq!(json(&out)["error"]["exit_code"], 3);

    env.env("PSA_LINK_JSON", "maybe");
    let out = env.run(&["source", "show"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("PSA_LINK_JSON"), "{}", stderr(&out));
}

#[test]
fn empty_variables_count_as_unset() {
    let mut env = TestEnv::new();
    let source = empty_source(&env);
    for var in [
        "PSA_LINK_HOME",
        "PSA_LINK_JSON",
        "PSA_LINK_YES",
        "PSA_LINK_VERBOSE",
        "PSA_LINK_SECRET_STORE",
        "PSA_LINK_FILTER",
    ] {
        env.env(var, "");
    }
    let out = env.run(&["source", "set", "file", &source]);
    assert_code(&out, 0);
    // No PSA_LINK_HOME: the platform config dir ($XDG_CONFIG_HOME/psa-link).
    let xdg = env.home.path().join("xdg/psa-link/config.toml");
    assert!(xdg.exists(), "config written to {}", xdg.display());
    assert!(!env.path("config.toml").exists());
    let out = env.run(&["map", "list", "--offline"]);
    assert_code(&out, 0);
}

#[test]
fn verbose_level_from_the_environment() {
    let world = World::new(PsaKind::Halopsa);
    world.configure_source();
    let out = world
        .cmd()
        .env("PSA_LINK_VERBOSE", "1")
        .args(["source", "test"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stderr(&out).contains("[Huntress] GET "), "{}", stderr(&out));
    assert!(stderr(&out).contains("-> 200"), "{}", stderr(&out));

    let out = world
        .cmd()
        .env("PSA_LINK_VERBOSE", "7")
        .args(["source", "show"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("PSA_LINK_VERBOSE"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_subcommand_flag_from_the_environment() {
    let mut world = World::configured(PsaKind::Halopsa);
    world.env.env("PSA_LINK_DRY_RUN", "1");
    let out = world.run(&["map", "auto"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("dry run"), "{}", stdout(&out));
    assert!(
        !world.path("mapping.toml").exists(),
        "PSA_LINK_DRY_RUN=1 wrote mapping.toml"
    );
    // A command without --dry-run ignores the variable.
    let out = world.run(&["integration", "show"]);
    assert_code(&out, 0);

    world.env.env("PSA_LINK_DRY_RUN", "0");
    let out = world.run(&["map", "auto"]);
    assert_code(&out, 0);
    assert!(world.path("mapping.toml").exists());
}

#[test]
fn incident_ids_on_the_command_line_beat_all_open_from_the_environment() {
    let mut world = World::configured(PsaKind::Halopsa);
    assert_code(&world.run(&["map", "auto"]), 0);
    let id = Msp::standard()
        .incidents
        .iter()
        .find(|i| i.status == "sent")
        .map(|i| i.id)
        .unwrap();
    world.env.env("PSA_LINK_ALL_OPEN", "1");
    let out = world.run(&["incident", "push", &id.to_string(), "--dry-run", "--json"]);
    assert_code(&out, 0);
    let results = json(&out)["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 1, "only the named incident: {results:?}");
    assert_eq!(results[0]["incident_id"], id);

    // Two choices typed on the command line, or two from the environment: usage error.
    let out = world.run(&["incident", "push", "--all-open", "--file", "x.json"]);
    assert_code(&out, 2);
    world.env.env("PSA_LINK_FILE", "x.json");
    let out = world.run(&["incident", "push"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("PSA_LINK_FILE"), "{}", stderr(&out));
}

/// A false `PSA_LINK_ALL_OPEN` chooses nothing. Before, clap counted its value as the
/// required choice and `incident push` with nothing typed ticketed every incident the
/// source had ever had.
#[test]
fn a_false_all_open_variable_chooses_nothing_and_pushes_nothing() {
    let mut world = World::configured(PsaKind::Halopsa);
    assert_code(&world.run(&["map", "auto"]), 0);
    for value in ["0", "false", "no"] {
        world.env.env("PSA_LINK_ALL_OPEN", value);
        let out = world.run(&["incident", "push"]);
        assert_code(&out, 2);
        let err = stderr(&out);
        for choice in ["<ID>...", "--file", "--all-open", "PSA_LINK_ALL_OPEN"] {
            assert!(err.contains(choice), "{choice} not named: {err}");
        }
    }
    assert!(
        world.sandbox.psa.tickets().is_empty(),
        "no ticket was created"
    );
    assert_eq!(
        world
            .sandbox
            .huntress_server
            .count("GET", "incident_reports"),
        0
    );

    // A false PSA_LINK_ALL_OPEN next to PSA_LINK_FILE is one choice, not a conflict.
    let file = world.env.home.path().join("incidents.json");
    std::fs::write(&file, r#"{"organizations": [], "incident_reports": []}"#).unwrap();
    world.env.env("PSA_LINK_ALL_OPEN", "no");
    world.env.env("PSA_LINK_FILE", file.to_str().unwrap());
    let out = world.run(&["incident", "push", "--json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["results"], serde_json::json!([]));
}

/// A behaviour-changing flag that came from its variable says so on stderr (a
/// `PSA_LINK_DRY_RUN` left in a crontab made every run a silent no-op), not under
/// --quiet, and not when typed.
#[test]
fn behaviour_flags_from_the_environment_say_so_on_stderr() {
    let mut world = World::configured(PsaKind::Halopsa);
    world.env.env("PSA_LINK_DRY_RUN", "1");
    let out = world.run(&["map", "auto"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("dry run: nothing will be changed (from PSA_LINK_DRY_RUN)"),
        "{err}"
    );
    assert!(
        !world.path("mapping.toml").exists(),
        "a dry run wrote nothing"
    );

    let out = world.run(&["map", "auto", "--quiet"]);
    assert_code(&out, 0);
    assert!(
        !stderr(&out).contains("PSA_LINK_DRY_RUN"),
        "{}",
        stderr(&out)
    );

    world.env.env("PSA_LINK_DRY_RUN", "0");
    let out = world.run(&["map", "auto", "--dry-run"]);
    assert_code(&out, 0);
    assert!(
        !stderr(&out).contains("(from PSA_LINK_"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_under_json_print_one_error_document() {
    let mut env = TestEnv::new();
    let out = env.run(&["--json", "map", "auto", "--no-such-flag"]);
    assert_code(&out, 2);
    let doc = json(&out);
    assert_eq!(doc["error"]["exit_code"], 2);
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--no-such-flag"),
        "{doc}"
    );
    assert!(
        stderr(&out).contains("--no-such-flag"),
        "message still on stderr"
    );

    env.env("PSA_LINK_JSON", "1");
    let out = env.run(&["map", "frobnicate"]);
    assert_code(&out, 2);
    assert_eq!(json(&out)["error"]["exit_code"], 2);

    // Help and version stay what they were: text, exit 0.
    let out = env.run(&["--json", "--help"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Usage:"));
    let out = env.run(&["--json", "--version"]);
    assert_code(&out, 0);
    assert!(stdout(&out).starts_with("psa-link "));
}

/// A config dir pointed at the sandbox with no secret in the environment.
fn without_secrets(world: &World) -> (TestEnv, String, String) {
    let env = TestEnv::new();
    let vars = world.sandbox.env();
    let huntress = vars
        .iter()
        .find(|(k, _)| k == "PSA_LINK_HUNTRESS_API_SECRET")
        .map(|(_, v)| v.clone())
        .unwrap();
    let (_, psa) = world.sandbox.psa.secret_env();
    (env, huntress, psa)
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn secrets_from_stdin_into_a_0600_secrets_file() {
    let world = World::new(PsaKind::Connectwise);
    let (mut env, huntress_secret, psa_secret) = without_secrets(&world);
    let mut source = world.sandbox.source_args();
    source.extend([
        "--secret-stdin".into(),
        "--secret-store".into(),
        "file".into(),
    ]);
    let out = env.run_with_stdin(&args(&source), &format!("{huntress_secret}\n"));
    assert_code(&out, 0);
    let file = env.path("secrets.toml");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "secrets.toml created 0600");

    // The same two flags through their variables.
    env.env("PSA_LINK_SECRET_STDIN", "1");
    env.env("PSA_LINK_SECRET_STORE", "file");
    let out = env.run_with_stdin(
        &args(&world.sandbox.integration_args()),
        &format!("{psa_secret}\n"),
    );
    assert_code(&out, 0);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("huntress") && text.contains("connectwise"),
        "both kept"
    );
    for secret in [&huntress_secret, &psa_secret] {
        assert!(!stderr(&out).contains(secret.as_str()));
        assert!(
            !std::fs::read_to_string(env.path("config.toml"))
                .unwrap()
                .contains(secret.as_str())
        );
    }

    // Later runs read both back from the file with no variable set: map auto reads the
    // source and the PSA.
    let out = env.run(&["map", "auto", "--json"]);
    assert_code(&out, 0);
    assert!(json(&out)["summary"]["mapped"].as_u64().unwrap() > 0);
}

/// `PSA_LINK_SECRET_STDIN` exported for one step gives way to the secret's own variable:
/// before, stdin was read first, so a present PSA_LINK_HUNTRESS_API_SECRET was ignored and
/// an empty stdin failed the run. A typed `--secret-stdin` still reads stdin.
#[test]
fn secret_stdin_from_the_environment_gives_way_to_the_secrets_own_variable() {
    let mut world = World::new(PsaKind::Halopsa);
    world.env.env("PSA_LINK_SECRET_STDIN", "1");
    let out = world
        .std_cmd()
        .args(args(&world.sandbox.source_args()))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("from PSA_LINK_HUNTRESS_API_SECRET"), "{err}");
    let config = world.config_text();
    assert!(
        config.contains(r#"secret_store = "env""#),
        "kept nowhere, as any secret from the environment: {config}"
    );

    world.env.env("PSA_LINK_SECRET_STDIN", "0");
    let mut typed = world.sandbox.source_args();
    typed.push("--secret-stdin".into());
    let out = world
        .std_cmd()
        .args(args(&typed))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("stdin held no"), "{}", stderr(&out));
}

#[test]
fn a_missing_secret_without_a_terminal_fails_at_once_with_the_fix() {
    let world = World::new(PsaKind::Halopsa);
    let (env, _, _) = without_secrets(&world);
    let mut child = env
        .std_cmd()
        .args(args(&world.sandbox.source_args()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Panics (after killing it) when psa-link waits for a secret no one can type.
    wait_exit(&mut child, Duration::from_secs(20));
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("PSA_LINK_HUNTRESS_API_SECRET"), "{err}");
    assert!(err.contains("--secret-stdin"), "{err}");
}

#[test]
fn concurrent_writers_of_distinct_pairs_lose_none() {
    let world = World::configured(PsaKind::Halopsa);
    let msp = Msp::standard();
    let companies: Vec<i64> = msp
        .companies
        .iter()
        .filter(|c| c.active)
        .filter_map(|c| world.sandbox.psa.company_id(&c.name))
        .take(6)
        .collect();
    let pairs: Vec<(i64, i64)> = msp
        .organizations
        .iter()
        .map(|o| o.id)
        .zip(companies)
        .collect();
    assert_eq!(pairs.len(), 6);
    let children: Vec<_> = pairs
        .iter()
        .map(|(org, company)| {
            world
                .std_cmd()
                .args(["map", "manual", &org.to_string(), &company.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let out = world.run(&["map", "list", "--offline", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    for (org, company) in &pairs {
        let entry = doc["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == *org)
            .unwrap_or_else(|| panic!("organization {org} lost: {doc}"));
        assert_eq!(entry["company"]["id"], *company, "{entry}");
        assert_eq!(entry["how"], "manual");
    }
}
