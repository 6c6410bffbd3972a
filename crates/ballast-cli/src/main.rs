//! `ballast`: the engine on the command line.
//!
//! ```text
//! ballast eval FILE|- [--pretty]              value a scenario, print its report
//! ballast apply FILE ACTIONS                  apply what-if actions, print the scenario after
//! ballast snapshot FILE --position ID         print a snapshot's demo position as a scenario
//! ballast project FILE|- [--days N]          aave-v3: rates and the health factor day by day from interest
//! ballast risk FILE|-                          run a risk request (scenario, market, options), print its report
//! ballast risk-demo FILE --position ID [--horizon DAYS] [--paths N] [--seed S]
//!                                              print the Risk page's request for a demo position
//! ```
//! Bad input prints one line on stderr naming the field and the problem, and
//! exits 2.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use ballast_core::aave_v3::actions::Action;
use ballast_core::risk::run::{RiskRequest, RunOptions};
use ballast_core::risk::{self, Tails};
use ballast_core::scenario::serde_problem;
use ballast_core::scenario::MAX_INPUT_BYTES;
use ballast_core::{apply_actions, evaluate_json, Scenario, Snapshot};

/// `[2].amount` for a path serde reports as `[2].amount`, nothing for the root.
fn path_suffix(path: &str) -> &str {
    if path == "." {
        ""
    } else {
        path
    }
}

const USAGE: &str = "usage: ballast eval FILE|- [--pretty]\n       ballast apply FILE ACTIONS\n       ballast snapshot FILE --position ID\n       ballast project FILE|- [--days N]\n       ballast risk FILE|-\n       ballast risk-demo FILE --position ID [--horizon DAYS] [--paths N] [--seed S]";

/// Exit code for input the engine refuses, and for a wrong command line.
const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(output) => {
            let mut stdout = io::stdout().lock();
            // A closed pipe (`ballast eval x | head -c1`) is not our failure.
            let _ = writeln!(stdout, "{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(format!("no command given\n{USAGE}"));
    };
    match command.as_str() {
        "eval" => {
            let (path, pretty) = match rest {
                [path] => (path, false),
                [path, flag] | [flag, path] if flag == "--pretty" => (path, true),
                _ => return Err(format!("eval takes one FILE (or - for stdin) and optionally --pretty\n{USAGE}")),
            };
            let report = evaluate_json(&read_input(path)?).map_err(|e| e.to_string())?;
            Ok(if pretty { report.to_json_pretty() } else { report.to_json() })
        }
        "apply" => {
            let [path, actions_path] = rest else {
                return Err(format!(
                    "apply takes a scenario FILE and an ACTIONS file (either may be - for stdin)\n{USAGE}"
                ));
            };
            let scenario = Scenario::parse(&read_input(path)?).map_err(|e| e.to_string())?;
            let text = read_input(actions_path)?;
            let mut deserializer = serde_json::Deserializer::from_str(&text);
            let actions: Vec<Action> = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let problem = serde_problem(e.inner());
                format!("actions{}: {problem}", path_suffix(&e.path().to_string()))
            })?;
            let after = apply_actions(&scenario, &actions).map_err(|e| e.to_string())?;
            Ok(after.to_json())
        }
        "snapshot" => {
            let [path, flag, id] = rest else {
                return Err(format!("snapshot takes FILE --position ID\n{USAGE}"));
            };
            if flag != "--position" {
                return Err(format!("unknown option {flag:?}\n{USAGE}"));
            }
            let snapshot = Snapshot::parse(&read_input(path)?).map_err(|e| e.to_string())?;
            let scenario = snapshot.scenario(id).map_err(|e| e.to_string())?;
            Ok(scenario.to_json())
        }
        "project" => {
            use ballast_core::aave_v3::interest_outlook::{interest_outlook, DEFAULT_DAYS};
            let (path, days) = match rest {
                [path] => (path, DEFAULT_DAYS),
                [path, flag, days] if flag == "--days" => {
                    (path, days.parse::<u32>().map_err(|_| format!("--days {days:?} is not a whole number"))?)
                }
                _ => return Err(format!("project takes one FILE (or - for stdin) and optionally --days N\n{USAGE}")),
            };
            let scenario = Scenario::parse(&read_input(path)?).map_err(|e| e.to_string())?;
            Ok(interest_outlook(&scenario, days).map_err(|e| e.to_string())?.to_json())
        }
        "risk" => {
            let [path] = rest else {
                return Err(format!("risk takes one FILE (or - for stdin)\n{USAGE}"));
            };
            let text = read_input(path)?;
            let mut deserializer = serde_json::Deserializer::from_str(&text);
            let request: RiskRequest = serde_path_to_error::deserialize(&mut deserializer)
                .map_err(|e| format!("{}: {}", path_suffix(&e.path().to_string()), e.inner()))?;
            let report = risk::run::run(request).map_err(|e| e.to_string())?;
            serde_json::to_string(&report).map_err(|e| e.to_string())
        }
        "risk-demo" => {
            let [path, rest @ ..] = rest else {
                return Err(format!("risk-demo takes FILE --position ID\n{USAGE}"));
            };
            let (mut id, mut options) =
                (None, RunOptions { horizon_days: 30, paths: 10_000, seed: 1, tails: Tails::Normal });
            let mut flags = rest.iter();
            while let Some(flag) = flags.next() {
                let value = flags.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
                let number =
                    |what: &str| value.parse::<u64>().map_err(|_| format!("{what} {value:?} is not a whole number"));
                match flag.as_str() {
                    "--position" => id = Some(value.clone()),
                    "--horizon" => {
                        options.horizon_days = u32::try_from(number("--horizon")?).map_err(|e| e.to_string())?
                    }
                    "--paths" => options.paths = u32::try_from(number("--paths")?).map_err(|e| e.to_string())?,
                    "--seed" => options.seed = number("--seed")?,
                    other => return Err(format!("unknown option {other:?}\n{USAGE}")),
                }
            }
            let id = id.ok_or_else(|| format!("risk-demo needs --position ID\n{USAGE}"))?;
            let snapshot = Snapshot::parse(&read_input(path)?).map_err(|e| e.to_string())?;
            let scenario = snapshot.scenario(&id).map_err(|e| e.to_string())?;
            // The Risk page's request: the demo inputs of the assets this position moves with.
            let market = risk::run::demo_market(&snapshot)
                .and_then(|demo| demo.inputs.for_position(&scenario))
                .map_err(|e| e.to_string())?;
            serde_json::to_string(&RiskRequest { scenario, market, options }).map_err(|e| e.to_string())
        }
        "-h" | "--help" | "help" => Ok(USAGE.to_owned()),
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    }
}

/// Reads a file or stdin, refusing more than the engine's input limit without
/// reading it all into memory.
fn read_input(path: &str) -> Result<String, String> {
    let name = if path == "-" { "stdin" } else { path };
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?)
    };
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(format!("scenario: {name} is larger than {MAX_INPUT_BYTES} bytes (1 MiB), the most accepted"));
    }
    String::from_utf8(bytes)
        .map_err(|e| format!("scenario: {name} is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}
