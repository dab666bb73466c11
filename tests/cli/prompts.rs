//! Prompts on a real terminal (a pty from util-linux `script`): a person who declines a
//! confirmation or closes a picker changed nothing and exits 0, and `--no-color` reaches
//! the prompts too. Skipped where `script` is not installed.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use psa_link::psa::PsaKind;

use crate::common::world::World;
use crate::common::{TestEnv, assert_code, stdout};

fn have_script() -> bool {
    Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs psa-link on a pty with `env`'s environment, typing `keys` once the prompt is up.
/// Everything the terminal showed comes back on stdout.
fn on_terminal(env: &TestEnv, args: &[&str], keys: &str) -> Output {
    let template = env.std_cmd();
    let line = std::iter::once(template.get_program().to_string_lossy().into_owned())
        .chain(args.iter().map(|a| format!("'{a}'")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cmd = Command::new("script");
    cmd.args(["-q", "-e", "-c", &line, "/dev/null"]);
    for (k, v) in template.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn script");
    let mut stdin = child.stdin.take().expect("stdin");
    std::thread::sleep(Duration::from_millis(1500));
    stdin.write_all(keys.as_bytes()).expect("type keys");
    stdin.flush().expect("flush");
    // Keep stdin open until psa-link is done: closing it would hang up the pty.
    let out = child.wait_with_output().expect("wait");
    drop(stdin);
    out
}

fn has_colour(text: &str) -> bool {
    regex::Regex::new(r"\x1b\[[0-9;]*m").unwrap().is_match(text)
}

#[test]
fn declining_integration_remove_changes_nothing_and_exits_0() {
    if !have_script() {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    }
    let world = World::configured(PsaKind::Halopsa);
    let out = on_terminal(&world.env, &["--no-color", "integration", "remove"], "n");
    assert_code(&out, 0);
    let screen = stdout(&out);
    assert!(screen.contains("cancelled: nothing changed"), "{screen}");
    assert!(
        !has_colour(&screen),
        "--no-color left colours in the prompt: {screen:?}"
    );
    let config = std::fs::read_to_string(world.path("config.toml")).unwrap();
    assert!(config.contains("[integration]"), "{config}");

    // Without --no-color the same prompt is coloured: the check above means something.
    let out = on_terminal(&world.env, &["integration", "remove"], "n");
    assert_code(&out, 0);
    assert!(has_colour(&stdout(&out)), "{:?}", stdout(&out));
}

#[test]
fn closing_the_map_manual_picker_changes_nothing_and_exits_0() {
    if !have_script() {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    }
    let world = World::configured(PsaKind::Halopsa);
    let org = psa_link::sandbox::seed::Msp::standard().organizations[0]
        .id
        .to_string();
    let out = on_terminal(&world.env, &["map", "manual", &org], "\x1b");
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("cancelled: nothing changed"),
        "{}",
        stdout(&out)
    );
    assert!(!world.path("mapping.toml").exists());
}
