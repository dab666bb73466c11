//! Prompts, only when a person can answer: stdin and stderr are terminals and `--yes` was
//! not given. Otherwise the caller gets `None` and must use a default or fail with a hint
//! naming the flag — never hang.

use std::io::IsTerminal;

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, FuzzySelect, Input, Password};

#[derive(Debug, Clone, Copy)]
pub struct Prompter {
    interactive: bool,
    assume_yes: bool,
}

impl Prompter {
    pub fn new(yes: bool) -> Prompter {
        let stdin_tty = std::io::stdin().is_terminal();
        Prompter {
            interactive: !yes && stdin_tty && std::io::stderr().is_terminal(),
            // SPEC §4: `--yes` is implied when stdin is not a terminal (cron, CI, pipes).
            assume_yes: yes || !stdin_tty,
        }
    }

    /// A prompter that never asks (in-process runs such as the demo).
    pub fn never() -> Prompter {
        Prompter {
            interactive: false,
            assume_yes: true,
        }
    }

    /// `--yes` was given, or is implied because stdin is not a terminal: confirmations
    /// proceed without asking.
    pub fn assume_yes(&self) -> bool {
        self.assume_yes
    }

    pub fn interactive(&self) -> bool {
        self.interactive
    }

    /// Yes/no; `None` when no one can answer.
    pub fn confirm(&self, question: &str, default: bool) -> anyhow::Result<Option<bool>> {
        if !self.interactive {
            return Ok(None);
        }
        Ok(Some(
            Confirm::with_theme(&ColorfulTheme::default())
                .with_prompt(question)
                .default(default)
                .interact()?,
        ))
    }

    pub fn text(&self, question: &str) -> anyhow::Result<Option<String>> {
        if !self.interactive {
            return Ok(None);
        }
        Ok(Some(
            Input::<String>::with_theme(&ColorfulTheme::default())
                .with_prompt(question)
                .interact_text()?,
        ))
    }

    pub fn password(&self, question: &str) -> anyhow::Result<Option<String>> {
        if !self.interactive {
            return Ok(None);
        }
        Ok(Some(
            Password::with_theme(&ColorfulTheme::default())
                .with_prompt(question)
                .interact()?,
        ))
    }

    /// A searchable picker; returns the chosen index.
    pub fn pick(
        &self,
        question: &str,
        items: &[String],
        default: usize,
    ) -> anyhow::Result<Option<usize>> {
        if !self.interactive || items.is_empty() {
            return Ok(None);
        }
        Ok(FuzzySelect::with_theme(&ColorfulTheme::default())
            .with_prompt(question)
            .items(items)
            .default(default.min(items.len() - 1))
            .max_length(15)
            .interact_opt()?)
    }
}
