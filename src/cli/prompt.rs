//! Prompts, only when a person can answer: stdin and stderr are terminals and `--yes` was
//! not given. Otherwise the caller gets `None` and must use a default or fail with a hint
//! naming the flag — never hang.

use std::io::IsTerminal;

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, FuzzySelect, Input, Password};

#[derive(Debug, Clone, Copy)]
pub struct Prompter {
    interactive: bool,
}

impl Prompter {
    pub fn new(yes: bool) -> Prompter {
        Prompter {
            interactive: !yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
        }
    }

    /// A prompter that never asks (in-process runs such as the demo).
    pub fn never() -> Prompter {
        Prompter { interactive: false }
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
