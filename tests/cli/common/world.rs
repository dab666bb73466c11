//! A sandbox (Huntress + one PSA emulator, in-process) and an isolated psa-link config dir,
//! for tests that spawn the real binary against the emulators. One suite runs against
//! every emulated PSA through [`each_psa!`].

#![allow(dead_code)]

use std::ops::Deref;
use std::process::Output;

use psa_link::psa::PsaKind;
use psa_link::sandbox::launch::{Sandbox, SandboxOptions};
use psa_link::sandbox::seed::Msp;

use super::{TestEnv, assert_code};

pub struct World {
    pub env: TestEnv,
    pub sandbox: Sandbox,
}

impl Deref for World {
    type Target = TestEnv;
    fn deref(&self) -> &TestEnv {
        &self.env
    }
}

impl World {
    /// The standard seed MSP, nothing configured yet; secrets in the environment.
    pub fn new(kind: PsaKind) -> World {
        World::with(Msp::standard(), SandboxOptions::new(kind))
    }

    pub fn with(msp: Msp, options: SandboxOptions) -> World {
        let sandbox = Sandbox::start(msp, &options).expect("start sandbox");
        let mut env = TestEnv::new();
        for (k, v) in sandbox.env() {
            env.env(&k, v);
        }
        World { env, sandbox }
    }

    /// Source and integration configured through the real commands.
    pub fn configured(kind: PsaKind) -> World {
        let world = World::new(kind);
        world.configure();
        world
    }

    /// Runs `source set huntress` and `integration add` against the sandbox.
    pub fn configure(&self) {
        self.configure_source();
        self.configure_integration();
    }

    pub fn configure_source(&self) {
        let out = self.run_args(&self.sandbox.source_args());
        assert_code(&out, 0);
    }

    pub fn configure_integration(&self) {
        let out = self.run_args(&self.sandbox.integration_args());
        assert_code(&out, 0);
    }

    pub fn run_args(&self, args: &[String]) -> Output {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.env.run(&refs)
    }

    /// `config.toml` as psa-link left it.
    pub fn config_text(&self) -> String {
        std::fs::read_to_string(self.path("config.toml")).expect("config.toml")
    }

    pub fn kind(&self) -> PsaKind {
        self.sandbox.psa.kind()
    }
}

/// Declares, for each named `fn name(kind: PsaKind)` in the enclosing module, one test per
/// emulated PSA: `halopsa::name` and `connectwise::name`.
#[macro_export]
macro_rules! each_psa {
    ($($name:ident),* $(,)?) => {
        mod halopsa {
            $( #[test] fn $name() { super::$name(psa_link::psa::PsaKind::Halopsa) } )*
        }
        mod connectwise {
            $( #[test] fn $name() { super::$name(psa_link::psa::PsaKind::Connectwise) } )*
        }
    };
}
