//! What the CLI's test files share: one command line run in-process (parse
//! with clap, run into a buffer) and what it produced, as `main` would
//! print it.

#![allow(dead_code)] // each test file uses its own part

use clap::Parser;
use expect_test::Expect;
use pte_explorer::Cli;

/// What one command line produced.
#[derive(Debug)]
pub struct Ran {
    pub code: u8,
    pub stdout: String,
    /// The error message with its causes, as `main` prints it (clap's own
    /// message for usage errors).
    pub error: String,
}

pub fn run_args(args: &[&str]) -> Ran {
    let argv = std::iter::once("pte-explorer").chain(args.iter().copied());
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(error) => {
            return Ran {
                code: error.exit_code() as u8,
                stdout: String::new(),
                error: error.to_string(),
            }
        }
    };
    let mut out = Vec::new();
    let result = pte_explorer::run(&cli, &mut out);
    let stdout = String::from_utf8(out).expect("the output is UTF-8");
    match result {
        Ok(exit) => Ran { code: exit.code(), stdout, error: String::new() },
        Err(error) => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            Ran { code: error.code(), stdout, error: message }
        }
    }
}

pub fn run(command_line: &str) -> Ran {
    run_args(&command_line.split_whitespace().collect::<Vec<_>>())
}

/// Runs `command_line` and compares its exit status and standard output.
#[track_caller]
pub fn check_output(command_line: &str, code: u8, expect: Expect) {
    let ran = run(command_line);
    assert_eq!(ran.code, code, "exit status of `{command_line}`; error: {}", ran.error);
    expect.assert_eq(&ran.stdout);
}
