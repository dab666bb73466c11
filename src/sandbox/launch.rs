//! Starting a sandbox: the Huntress emulator and one PSA emulator side by side, seeded
//! from the same MSP. Used by `sandbox serve`, `sandbox demo`, the integration tests and
//! the benchmarks — the only place that picks a PSA emulator by kind.

use std::sync::Arc;
use std::time::Duration;

use super::connectwise::ConnectWiseEmulator;
use super::halopsa::{HaloEmulator, HaloOptions};
use super::huntress::HuntressEmulator;
use super::seed::Msp;
use super::server::{FaultInfo, RunningServer, ServerOptions, set_fault};
use super::{Emulator, PsaEmulator};
use crate::psa::PsaKind;

/// The PSAs the sandbox can emulate.
pub const EMULATED: [PsaKind; 2] = [PsaKind::Halopsa, PsaKind::Connectwise];

/// A PSA emulator for `kind`, seeded from `msp`.
pub fn psa_emulator(kind: PsaKind, msp: &Msp) -> Option<Arc<dyn PsaEmulator>> {
    match kind {
        PsaKind::Halopsa => Some(Arc::new(HaloEmulator::new(msp, HaloOptions::default()))),
        PsaKind::Connectwise => Some(Arc::new(ConnectWiseEmulator::new(msp))),
        PsaKind::Autotask | PsaKind::Bms | PsaKind::Syncro => None,
    }
}

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    pub psa: PsaKind,
    /// 0 = any free port.
    pub huntress_port: u16,
    /// 0 = any free port.
    pub psa_port: u16,
    /// Added to every response of both emulators (benchmarks).
    pub latency: Duration,
    /// Fault switches to turn on (each looked up in the PSA emulator, then in Huntress).
    pub faults: Vec<String>,
}

impl SandboxOptions {
    pub fn new(psa: PsaKind) -> SandboxOptions {
        SandboxOptions {
            psa,
            huntress_port: 0,
            psa_port: 0,
            latency: Duration::ZERO,
            faults: Vec::new(),
        }
    }
}

/// A running sandbox. Dropping it stops both servers.
pub struct Sandbox {
    pub msp: Msp,
    pub huntress: Arc<HuntressEmulator>,
    pub huntress_server: RunningServer,
    pub psa: Arc<dyn PsaEmulator>,
    pub psa_server: RunningServer,
}

impl Sandbox {
    /// Starts both emulators seeded with `msp` and switches on the requested faults.
    pub fn start(msp: Msp, options: &SandboxOptions) -> anyhow::Result<Sandbox> {
        let psa = psa_emulator(options.psa, &msp).ok_or_else(|| {
            anyhow::anyhow!(
                "the sandbox has no {} emulator yet (available: {})",
                options.psa.display_name(),
                EMULATED
                    .iter()
                    .map(|k| k.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let huntress = Arc::new(HuntressEmulator::new(&msp));
        let server_options = |port| ServerOptions {
            port,
            latency: options.latency,
            ..ServerOptions::default()
        };
        let huntress_server =
            RunningServer::start(huntress.clone(), server_options(options.huntress_port))?;
        let psa_server = RunningServer::start(psa.clone(), server_options(options.psa_port))?;
        let sandbox = Sandbox {
            msp,
            huntress,
            huntress_server,
            psa,
            psa_server,
        };
        for fault in &options.faults {
            sandbox.set_fault(fault, true).map_err(anyhow::Error::msg)?;
        }
        Ok(sandbox)
    }

    /// The standard seed MSP on free ports.
    pub fn standard(psa: PsaKind) -> anyhow::Result<Sandbox> {
        Sandbox::start(Msp::standard(), &SandboxOptions::new(psa))
    }

    /// Switches a fault on either emulator. A bare name is looked up in the PSA emulator
    /// first, then Huntress; `huntress:rate-limit` or `halopsa:rate-limit` picks one.
    pub fn set_fault(&self, name: &str, on: bool) -> Result<(), String> {
        let psa: &dyn Emulator = &*self.psa;
        let huntress: &dyn Emulator = &*self.huntress;
        if let Some((service, fault)) = name.split_once(':') {
            return match service {
                s if s == huntress.name() => set_fault(huntress, fault, on),
                s if s == psa.name() => set_fault(psa, fault, on),
                other => Err(format!(
                    "no '{other}' emulator in this sandbox (use {} or huntress)",
                    psa.name()
                )),
            };
        }
        if psa.faults().iter().any(|f| f.name == name) {
            return set_fault(psa, name, on);
        }
        set_fault(huntress, name, on).map_err(|_| {
            format!(
                "no fault '{name}' in the {} or Huntress emulators (available: {})",
                self.psa.kind().display_name(),
                self.faults()
                    .iter()
                    .map(|(s, f)| format!("{s}:{}", f.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// Every fault on offer, with the service it belongs to.
    pub fn faults(&self) -> Vec<(&'static str, FaultInfo)> {
        let psa: &dyn Emulator = &*self.psa;
        psa.faults()
            .iter()
            .map(|f| (psa.name(), *f))
            .chain(self.huntress.faults().iter().map(|f| ("huntress", *f)))
            .collect()
    }

    pub fn huntress_url(&self) -> String {
        self.huntress_server.base_url()
    }

    pub fn psa_url(&self) -> String {
        self.psa_server.base_url()
    }

    /// Secrets psa-link needs, as environment variables (the sandbox uses a user-based
    /// Huntress key so `incident resolve --in-source` works).
    pub fn env(&self) -> Vec<(String, String)> {
        let (psa_var, psa_secret) = self.psa.secret_env();
        vec![
            (
                crate::source::huntress::SECRET_ENV.to_string(),
                HuntressEmulator::secret(true).to_string(),
            ),
            (psa_var.to_string(), psa_secret),
        ]
    }

    /// `psa-link source set huntress ...` arguments (without the program name).
    pub fn source_args(&self) -> Vec<String> {
        let mut args = vec!["source".to_string(), "set".into(), "huntress".into()];
        args.extend(HuntressEmulator::source_set_args(
            &self.huntress_url(),
            true,
        ));
        args
    }

    /// `psa-link integration add ...` arguments (without the program name).
    pub fn integration_args(&self) -> Vec<String> {
        let mut args = vec!["integration".to_string(), "add".into()];
        args.extend(self.psa.add_args(&self.psa_url()));
        args
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_prefix_picks_the_emulator_of_a_clashing_fault() {
        let sandbox = Sandbox::standard(PsaKind::Connectwise).unwrap();
        sandbox.set_fault("huntress:rate-limit", true).unwrap();
        assert!(sandbox.huntress.fault_set().is_on("rate-limit"));
        assert!(!sandbox.psa.fault_set().is_on("rate-limit"));
        sandbox.set_fault("rate-limit", true).unwrap();
        assert!(
            sandbox.psa.fault_set().is_on("rate-limit"),
            "a bare name goes to the PSA first"
        );
        assert!(
            sandbox
                .set_fault("autotask:rate-limit", true)
                .unwrap_err()
                .contains("no 'autotask' emulator")
        );
        assert!(
            sandbox
                .set_fault("nope", true)
                .unwrap_err()
                .contains("huntress:no-retry-after")
        );
    }
}
