//! The test environment: a private config dir, no inherited PSA_LINK_* settings, no
//! colour, and helpers to run the real binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Output};
use std::time::{Duration, Instant};

use assert_cmd::Command;

pub mod checklist;
pub mod world;

pub struct TestEnv {
    pub home: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            home: tempfile::tempdir().expect("temp dir"),
            envs: Vec::new(),
        }
    }

    /// The config dir psa-link uses in this environment.
    pub fn config_dir(&self) -> PathBuf {
        self.home.path().join("config")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.config_dir().join(name)
    }

    /// An environment variable for every later run.
    pub fn env(&mut self, key: &str, value: impl AsRef<str>) -> &mut Self {
        self.envs.retain(|(k, _)| k != key);
        self.envs
            .push((key.to_string(), value.as_ref().to_string()));
        self
    }

    /// A command for the real binary, isolated from the developer's own setup.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same as a `std::process::Command`, for runs a test spawns and then interrupts.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("psa-link"));
        for (k, _) in std::env::vars() {
            if k.starts_with("PSA_LINK_") || k == "NO_COLOR" {
                cmd.env_remove(k);
            }
        }
        cmd.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("xdg"))
            .env("PSA_LINK_HOME", self.config_dir())
            .env("NO_COLOR", "1")
            .env("PSA_LINK_HTTP_TIMEOUT", "20")
            // Never touch the developer's (or CI's) OS keyring: tests use env or file secrets.
            .env("PSA_LINK_NO_KEYRING", "1");
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs psa-link with `args` and returns its output (never panics on failure).
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run psa-link")
    }

    /// Runs with stdin fed from `input`.
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Output {
        self.cmd()
            .args(args)
            .write_stdin(input.to_string())
            .output()
            .expect("run psa-link")
    }
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// stdout parsed as the one JSON document of a `--json` run.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(o),
            stderr(o)
        )
    })
}

/// Asserts the exit code, showing both streams when it differs.
#[track_caller]
pub fn assert_code(o: &Output, expected: i32) {
    assert_eq!(
        code(o),
        expected,
        "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
        stdout(o),
        stderr(o)
    );
}

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Waits for `child` to exit and returns its code; kills it and panics after `limit` (a run
/// that hangs fails its test instead of the whole suite).
#[track_caller]
pub fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("psa-link did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
