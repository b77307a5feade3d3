//! The `pte-explorer` binary: parse the command line, run it, and turn the
//! result into an exit status (documented in `--help`).

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use pte_explorer::{Cli, CliError};

fn main() -> ExitCode {
    // Clap prints its own usage errors and exits with status 2.
    let cli = Cli::parse();
    let mut stdout = io::stdout().lock();
    let result = pte_explorer::run(&cli, &mut stdout).and_then(|exit| {
        stdout.flush()?;
        Ok(exit)
    });
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        // A reader that stops early (`| head`) is not an error worth a message.
        Err(CliError::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            // `{:#}` prints the cause chain: "cannot read x.json: No such file…".
            let code = error.code();
            eprintln!("error: {:#}", anyhow::Error::new(error));
            ExitCode::from(code)
        }
    }
}
