//! Prompts on a real terminal (a pty from util-linux `script`): a person who declines a
//! confirmation or closes a picker changed nothing and exits 0, and `--no-color` reaches
//! the prompts too. Skipped where `script` is not installed, except under CI.

use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use psa_link::psa::PsaKind;

use crate::common::world::World;
use crate::common::{TestEnv, assert_code, stderr, stdout, wait_exit};

/// Whether these tests can run: util-linux `script` gives them a pty. Missing on a
/// developer's machine the tests are skipped with a notice; under CI (`CI` set) a missing
/// `script` fails them, so a runner without it cannot pass them vacuously.
fn have_script() -> bool {
    let found = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "util-linux `script` is missing and CI is set: the terminal tests cannot run (.ci/run installs it)"
        );
        eprintln!("skipped: util-linux `script` is not installed (set CI to make this a failure)");
    }
    found
}

/// What the terminal shows while a run goes on.
type Screen = Arc<Mutex<Vec<u8>>>;

/// Copies `from` into a shared buffer until it closes.
fn collect(mut from: impl Read + Send + 'static) -> (Screen, std::thread::JoinHandle<()>) {
    let screen: Screen = Arc::default();
    let sink = screen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    (screen, reader)
}

/// Runs psa-link on a pty with `env`'s environment; once the terminal shows `prompt`,
/// types `keys` (no prompt: types nothing). Everything the terminal showed comes back on
/// stdout.
fn on_terminal(env: &TestEnv, args: &[&str], prompt: Option<(&str, &str)>) -> Output {
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
    let (screen, screen_reader) = collect(child.stdout.take().expect("stdout"));
    let (errors, errors_reader) = collect(child.stderr.take().expect("stderr"));
    if let Some((prompt, keys)) = prompt {
        let started = Instant::now();
        while !String::from_utf8_lossy(&screen.lock().unwrap()).contains(prompt) {
            if started.elapsed() > Duration::from_secs(60) || child.try_wait().unwrap().is_some() {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the prompt {prompt:?} never appeared: {:?}",
                    String::from_utf8_lossy(&screen.lock().unwrap())
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        stdin.write_all(keys.as_bytes()).expect("type keys");
        stdin.flush().expect("flush");
    }
    // Keep stdin open until psa-link is done: closing it would hang up the pty.
    let code = wait_exit(&mut child, Duration::from_secs(60));
    drop(stdin);
    screen_reader.join().expect("screen reader");
    errors_reader.join().expect("stderr reader");
    let status = ExitStatus::from_raw(code.unwrap_or(1) << 8);
    let stdout = std::mem::take(&mut *screen.lock().unwrap());
    let stderr = std::mem::take(&mut *errors.lock().unwrap());
    Output {
        status,
        stdout,
        stderr,
    }
}

/// Words of the `integration remove` question free of colour codes.
const REMOVE_PROMPT: &str = "its stored secret?";

fn has_colour(text: &str) -> bool {
    regex::Regex::new(r"\x1b\[[0-9;]*m").unwrap().is_match(text)
}

#[test]
fn declining_integration_remove_changes_nothing_and_exits_0() {
    if !have_script() {
        return;
    }
    let world = World::configured(PsaKind::Halopsa);
    let out = on_terminal(
        &world.env,
        &["--no-color", "integration", "remove"],
        Some((REMOVE_PROMPT, "n")),
    );
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
    let out = on_terminal(
        &world.env,
        &["integration", "remove"],
        Some((REMOVE_PROMPT, "n")),
    );
    assert_code(&out, 0);
    assert!(has_colour(&stdout(&out)), "{:?}", stdout(&out));
}

#[test]
fn closing_the_map_manual_picker_changes_nothing_and_exits_0() {
    if !have_script() {
        return;
    }
    let world = World::configured(PsaKind::Halopsa);
    let org = psa_link::sandbox::seed::Msp::standard().organizations[0]
        .id
        .to_string();
    let out = on_terminal(
        &world.env,
        &["map", "manual", &org],
        Some(("(type to search)", "\x1b")),
    );
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("cancelled: nothing changed"),
        "{}",
        stdout(&out)
    );
    assert!(!world.path("mapping.toml").exists());
}

/// `--secret-stdin` on a terminal is refused at once (exit 2): before, it waited in
/// silence for a line it would have echoed.
#[test]
fn secret_stdin_on_a_terminal_is_refused() {
    if !have_script() {
        return;
    }
    let env = TestEnv::new();
    let out = on_terminal(
        &env,
        &[
            "source",
            "set",
            "huntress",
            "--api-key",
            "hk_key",
            "--base-url",
            "http://127.0.0.1:9",
            "--secret-stdin",
        ],
        None,
    );
    assert_code(&out, 2);
    let screen = stdout(&out);
    assert!(screen.contains("stdin is a terminal"), "{screen}");
    assert!(!env.path("config.toml").exists(), "{}", stderr(&out));
}
