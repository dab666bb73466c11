//! The state store and the secret chain through the real binary: `source set file`,
//! `source show`, `integration show|remove`, `status-map list`, `priority-map list`.

use std::time::Duration;

use psa_link::store::Store;

use crate::common::{TestEnv, assert_code, code, json, stderr, stdout};

const HALO_SECRET: &str = "halo-client-secret-d41d8cd9";

/// A config dir with a HaloPSA integration whose secret lives in a 0600 secrets.toml, and
/// some hand comments.
fn halo_env() -> TestEnv {
    let mut env = TestEnv::new();
    // Never touch the developer's own keyring from a test.
    env.env("PSA_LINK_NO_KEYRING", "1");
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.path("config.toml"),
        r#"# Acme's psa-link -- ask Dana before changing
version = 1
team = "soc"   # hand-added

[source]
kind = "file"
path = "/srv/huntress/incidents.json"

[integration]
kind = "halopsa"
secret_store = "file"
routing = { id = "3", name = "Huntress" }
default_company = { id = 12, name = "Acme MSP" }

[integration.settings]
host = "acme.halopsa.com"
client_id = "4f2a"

# agreed with the service desk
[status_map]
created = { id = "1", name = "New" }
resolved = { id = "9", name = "Closed" }

[priority_map]
critical = { id = "1", name = "P1 - Critical" }
"#,
    )
    .unwrap();
    write_private(
        &env,
        "secrets.toml",
        &format!("[halopsa]\nclient_secret = \"{HALO_SECRET}\"\n"),
    );
    env
}

fn write_private(env: &TestEnv, name: &str, text: &str) {
    let path = env.path(name);
    std::fs::write(&path, text).unwrap();
    set_mode(&path, 0o600);
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_path: &std::path::Path, _mode: u32) {}

fn assert_no_secret(out: &std::process::Output) {
    assert!(!stdout(out).contains(HALO_SECRET), "secret on stdout");
    assert!(!stderr(out).contains(HALO_SECRET), "secret on stderr");
}

// ------------------------------------------------------------------------------ source

#[test]
fn source_set_file_stores_an_absolute_path_and_show_reports_it() {
    let env = TestEnv::new();
    let work = env.home.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("incidents.json"), r#"{"organizations": []}"#).unwrap();
    let out = env
        .cmd()
        .current_dir(&work)
        .args(["source", "set", "file", "incidents.json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let expected = work.join("incidents.json").display().to_string();
    let config = std::fs::read_to_string(env.path("config.toml")).unwrap();
    assert!(
        config.contains(&format!("path = \"{expected}\"")),
        "{config}"
    );

    let out = env.run(&["source", "show", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["source"]["kind"], "file");
    assert_eq!(doc["source"]["path"], expected.as_str());
    assert_eq!(doc["source"]["exists"], true);

    let out = env.run(&["source", "show"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains(&expected));
}

#[test]
fn source_set_file_refuses_a_missing_path() {
    let env = TestEnv::new();
    let out = env.run(&["source", "set", "file", "/nonexistent/incidents.json"]);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(
        err.contains("/nonexistent/incidents.json does not exist"),
        "{err}"
    );
    assert!(err.contains("fix:"), "{err}");
    assert!(!env.path("config.toml").exists());
}

#[test]
fn source_show_without_a_source_exits_3() {
    let env = TestEnv::new();
    let out = env.run(&["source", "show"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("source set"));
}

#[test]
fn source_show_for_huntress_reports_the_secret_without_its_value() {
    let mut env = TestEnv::new();
    env.env("PSA_LINK_NO_KEYRING", "1");
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.path("config.toml"),
        "version = 1\n[source]\nkind = \"huntress\"\napi_key = \"hk_live_1\"\nsecret_store = \"keyring\"\n",
    )
    .unwrap();
    let out = env.run(&["source", "show", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["source"]["base_url"], "https://api.huntress.io");
    assert_eq!(doc["source"]["api_key"], "hk_live_1");
    assert_eq!(doc["source"]["secret"]["state"], "unavailable");

    env.env("PSA_LINK_HUNTRESS_API_SECRET", "hs-secret-0099");
    let out = env.run(&["source", "show"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("set (environment)"), "{text}");
    assert!(text.contains("https://api.huntress.io (default)"), "{text}");
    assert!(!text.contains("hs-secret-0099"));
}

// ---------------------------------------------------------------- hand edits, parse errors

#[test]
fn hand_comments_and_keys_in_config_survive_an_edit() {
    let env = halo_env();
    let data = env.home.path().join("incidents.json");
    std::fs::write(&data, r#"{"organizations": []}"#).unwrap();
    let out = env.run(&["source", "set", "file", data.to_str().unwrap()]);
    assert_code(&out, 0);
    let after = std::fs::read_to_string(env.path("config.toml")).unwrap();
    assert!(after.starts_with("# Acme's psa-link -- ask Dana before changing\n"));
    assert!(after.contains("team = \"soc\"   # hand-added\n"), "{after}");
    assert!(after.contains("# agreed with the service desk\n[status_map]\n"));
    assert!(after.contains(&format!("path = \"{}\"", data.display())));
    assert!(!after.contains("/srv/huntress"));
}

#[test]
fn an_unparsable_config_exits_3_names_the_position_and_is_left_untouched() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let broken = "version = 1\n\n[source\nkind = \"file\"\n";
    std::fs::write(env.path("config.toml"), broken).unwrap();

    let out = env.run(&["source", "show"]);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("config.toml"), "{err}");
    assert!(err.contains("line 3, column"), "{err}");
    assert!(err.contains("fix:"), "{err}");

    let data = env.home.path().join("incidents.json");
    std::fs::write(&data, r#"{"organizations": []}"#).unwrap();
    let out = env.run(&["source", "set", "file", data.to_str().unwrap()]);
    assert_code(&out, 3);
    let out = env.run(&["--json", "status-map", "list"]);
    assert_code(&out, 3);
    assert_eq!(json(&out)["error"]["exit_code"], 3);
    assert_eq!(
        std::fs::read_to_string(env.path("config.toml")).unwrap(),
        broken
    );
}

#[test]
fn a_wrong_type_in_config_is_reported_at_its_line() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.path("config.toml"),
        "version = 1\n[incidents]\nstrict = \"sometimes\"\n",
    )
    .unwrap();
    let out = env.run(&["priority-map", "list"]);
    assert_code(&out, 3);
    assert!(
        stderr(&out).contains("line 3, column 10"),
        "{}",
        stderr(&out)
    );
}

// ----------------------------------------------------------------------------- secrets

#[cfg(unix)]
#[test]
fn a_secrets_file_readable_by_others_is_refused() {
    let env = halo_env();
    set_mode(&env.path("secrets.toml"), 0o644);
    let out = env.run(&["integration", "show"]);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("chmod 600"), "{err}");
    assert!(err.contains("secrets.toml"), "{err}");
    assert_no_secret(&out);
}

#[test]
fn the_environment_beats_the_secrets_file() {
    let mut env = halo_env();
    let out = env.run(&["integration", "show", "--json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["integration"]["secret"]["location"], "file");
    assert_no_secret(&out);

    env.env("PSA_LINK_HALOPSA_CLIENT_SECRET", "from-the-environment");
    let out = env.run(&["integration", "show", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["integration"]["secret"]["state"], "set");
    assert_eq!(doc["integration"]["secret"]["location"], "environment");
    assert!(!stdout(&out).contains("from-the-environment"));
}

#[test]
fn a_missing_secret_is_shown_as_missing() {
    let env = halo_env();
    std::fs::remove_file(env.path("secrets.toml")).unwrap();
    let out = env.run(&["integration", "show"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("missing (set PSA_LINK_HALOPSA_CLIENT_SECRET"),
        "{}",
        stdout(&out)
    );
}

// ------------------------------------------------------------------------- integration

#[test]
fn integration_show_lists_settings_and_maps_with_the_secret_masked() {
    let env = halo_env();
    let out = env.run(&["integration", "show"]);
    assert_code(&out, 0);
    assert_no_secret(&out);
    let text = stdout(&out);
    for expected in [
        "HaloPSA (halopsa)",
        "set (file)",
        "Huntress (id 3)",
        "Acme MSP (id 12)",
        "acme.halopsa.com",
        "Closed (as resolved)",
        "P1 - Critical",
        "(unset)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }

    let out = env.run(&["integration", "show", "--json"]);
    assert_code(&out, 0);
    assert_no_secret(&out);
    let doc = json(&out);
    let int = &doc["integration"];
    assert_eq!(int["kind"], "halopsa");
    assert_eq!(int["secret_store"], "file");
    assert_eq!(int["routing"]["label"], "ticket type");
    assert_eq!(int["routing"]["id"], "3");
    assert_eq!(int["default_company"]["id"], 12);
    assert_eq!(int["settings"]["host"], "acme.halopsa.com");
    assert_eq!(doc["status_map"].as_array().unwrap().len(), 5);
    assert_eq!(doc["priority_map"].as_array().unwrap().len(), 3);
}

#[test]
fn integration_show_and_remove_without_an_integration_exit_3() {
    let env = TestEnv::new();
    for args in [["integration", "show"], ["integration", "remove"]] {
        let out = env.run(&args);
        assert_code(&out, 3);
        assert!(stderr(&out).contains("integration add"), "{}", stderr(&out));
    }
}

#[test]
fn integration_remove_takes_the_section_its_maps_and_its_secret() {
    let env = halo_env();
    let out = env.run(&["--json", "integration", "remove"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["removed"]["kind"], "halopsa");
    assert_eq!(doc["removed"]["secret_removed_from"][0], "file");

    let config = std::fs::read_to_string(env.path("config.toml")).unwrap();
    for gone in [
        "[integration",
        "[status_map]",
        "[priority_map]",
        "acme.halopsa.com",
    ] {
        assert!(!config.contains(gone), "{gone} still in\n{config}");
    }
    assert!(config.contains("team = \"soc\"   # hand-added"), "{config}");
    assert!(config.contains("[source]"), "{config}");
    let secrets = std::fs::read_to_string(env.path("secrets.toml")).unwrap();
    assert!(!secrets.contains(HALO_SECRET), "{secrets}");

    let out = env.run(&["integration", "remove", "--yes"]);
    assert_code(&out, 3);
}

// ------------------------------------------------------------------ status/priority maps

#[test]
fn status_map_list_shows_every_event_and_the_dismissed_fallback() {
    let env = halo_env();
    let out = env.run(&["status-map", "list", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    let rows = doc["status_map"].as_array().unwrap();
    let by_event = |e: &str| rows.iter().find(|r| r["event"] == e).unwrap().clone();
    assert_eq!(by_event("created")["name"], "New");
    assert_eq!(by_event("created")["fallback"], serde_json::Value::Null);
    assert_eq!(
        by_event("remediation-approved")["id"],
        serde_json::Value::Null
    );
    assert_eq!(by_event("dismissed")["id"], "9");
    assert_eq!(by_event("dismissed")["fallback"], "resolved");

    let out = env.run(&["status-map", "list"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let dismissed = text.lines().find(|l| l.contains("dismissed")).unwrap();
    assert!(dismissed.contains("Closed (as resolved)"), "{text}");
    let approved = text
        .lines()
        .find(|l| l.contains("remediation-approved"))
        .unwrap();
    assert!(approved.contains("(unset)"), "{text}");
}

#[test]
fn priority_map_list_shows_every_severity() {
    let env = halo_env();
    let out = env.run(&["priority-map", "list", "--json"]);
    assert_code(&out, 0);
    let doc = json(&out);
    let rows = doc["priority_map"].as_array().unwrap();
    let names: Vec<_> = rows.iter().map(|r| r["severity"].clone()).collect();
    assert_eq!(names, ["low", "high", "critical"]);
    assert_eq!(rows[2]["name"], "P1 - Critical");
    assert_eq!(rows[0]["id"], serde_json::Value::Null);
}

#[test]
fn maps_list_offline_with_no_config_at_all() {
    let env = TestEnv::new();
    let out = env.run(&["status-map", "list", "--json"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("no PSA integration"));
    assert!(json(&out)["status_map"][0]["id"].is_null());
    assert!(!env.path("config.toml").exists(), "listing writes nothing");
}

// ----------------------------------------------------------------------------- locking

#[test]
fn a_run_waits_for_another_runs_lock_then_proceeds() {
    let env = TestEnv::new();
    let data = env.home.path().join("incidents.json");
    std::fs::write(&data, r#"{"organizations": []}"#).unwrap();
    let store = Store::open(env.config_dir());
    let held = store.lock(&store.config_path()).unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        drop(held);
    });
    let out = env.run(&["source", "set", "file", data.to_str().unwrap()]);
    release.join().unwrap();
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("waiting for another psa-link run to release"),
        "{}",
        stderr(&out)
    );
    assert!(store.config().unwrap().source.is_some());
}

#[test]
fn a_run_gives_up_after_the_lock_timeout() {
    let mut env = TestEnv::new();
    env.env("PSA_LINK_LOCK_TIMEOUT", "0.3");
    let data = env.home.path().join("incidents.json");
    std::fs::write(&data, r#"{"organizations": []}"#).unwrap();
    let store = Store::open(env.config_dir());
    let _held = store.lock(&store.config_path()).unwrap();
    let out = env.run(&["source", "set", "file", data.to_str().unwrap()]);
    assert_ne!(code(&out), 0);
    let err = stderr(&out);
    assert!(err.contains("another psa-link run is using"), "{err}");
    assert!(err.contains("fix:"), "{err}");
    assert!(!store.config_path().exists());
}

#[test]
fn concurrent_runs_are_serialised_and_leave_a_valid_config() {
    let env = halo_env();
    let files: Vec<_> = (0..4)
        .map(|i| {
            let p = env.home.path().join(format!("incidents-{i}.json"));
            std::fs::write(&p, r#"{"organizations": []}"#).unwrap();
            p
        })
        .collect();
    let children: Vec<_> = files
        .iter()
        .map(|p| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("psa-link"));
            cmd.env_clear()
                .env("HOME", env.home.path())
                .env("PSA_LINK_HOME", env.config_dir())
                .env("PSA_LINK_NO_KEYRING", "1")
                .args(["source", "set", "file", p.to_str().unwrap()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let store = Store::open(env.config_dir());
    let config = store.config().unwrap();
    let Some(psa_link::store::SourceConfig::File(f)) = config.source else {
        panic!("no file source");
    };
    assert!(files.contains(&f.path));
    // The rest of the file came through every rewrite intact.
    assert!(config.integration.is_some());
    let text = std::fs::read_to_string(store.config_path()).unwrap();
    assert!(text.contains("# agreed with the service desk"));
    assert_eq!(text.matches("[source]").count(), 1);
}
