//! The `actionlog` command line: parses arguments, calls the library, maps
//! the outcome to an exit code (0 all valid, 1 contract violations, 2 the run
//! could not be done). It holds no validation logic.

use crate::config::{self, Config};
use crate::coverage::Coverage;
use crate::policy::Policy;
use crate::report::{self, Color, Format};
use crate::rules::Rule;
use crate::run::{self, Options};
use actionlog_models::CONTRACTS;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Check captured API responses against the vendors' documented contracts.
#[derive(Debug, Parser)]
#[command(name = "actionlog", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check captured responses (.json, .ndjson/.jsonl, .har, folders, `-` for stdin).
    Validate(ValidateArgs),
    /// Report which documented members, nulls and enum values the captures
    /// exercise.
    Coverage(CoverageArgs),
    /// List the contracts: id, vendor, method and path template.
    Contracts {
        /// Also list what each vendor is observed to send beyond its page,
        /// with sources.
        #[arg(long)]
        observed: bool,
    },
    /// Print one contract's JSON Schema.
    Schema {
        /// The contract id, e.g. `auth0.execution`.
        id: String,
    },
    /// List the rules with their default severity.
    Rules,
    /// Write a copy of HAR captures with every credential replaced by
    /// `REDACTED` (FILE.redacted.har), everything else kept byte for byte.
    Redact {
        /// The HAR files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Replace each file itself (atomically) instead of writing a copy.
        #[arg(long)]
        in_place: bool,
        /// Overwrite an existing FILE.redacted.har.
        #[arg(long)]
        force: bool,
    },
    /// Say what a rule checks, with an example.
    Explain {
        /// The rule id, e.g. `schema.enum`.
        rule: String,
    },
}

/// What to read and how to choose and judge contracts: shared by
/// `validate` and `coverage`.
#[derive(Debug, clap::Args)]
struct InputArgs {
    /// Files and folders to check; `-` reads one document from standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Check every document against this contract (see `actionlog contracts`).
    #[arg(long, value_name = "ID")]
    contract: Option<String>,
    /// The configuration file (default: the nearest actionlog.toml upwards).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any actionlog.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Count every warning as an error (exit 1).
    #[arg(long)]
    strict: bool,
    /// Do not report undocumented members.
    #[arg(long)]
    allow_unknown: bool,
    /// Judge by the pages alone: values the vendors are observed to send
    /// beyond their pages are errors (see `actionlog contracts --observed`).
    #[arg(long)]
    documented_only: bool,
    /// In HAR captures, report entries that match no contract as errors
    /// instead of listing them as skipped.
    #[arg(long)]
    require_match: bool,
    /// How many threads check documents (0: one per core). Reports come out
    /// in the same order whatever the number.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Judge every document with the full path (schema validator, positions,
    /// every diagnostic) instead of first trying the fast path. The verdicts
    /// are the same; this is for comparing the two.
    #[arg(long, hide_short_help = true)]
    full_path_only: bool,
    /// The largest file read, in bytes (in an NDJSON file, the largest line).
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
}

#[derive(Debug, clap::Args)]
struct ValidateArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in the human format.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Also write a report in another format to a file, in the same run
    /// (repeatable): `--report sarif=actionlog.sarif --report junit=junit.xml`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_report)]
    report: Vec<(Format, PathBuf)>,
    /// Also write the coverage report (JSON) to this file.
    #[arg(long, value_name = "FILE")]
    coverage: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct CoverageArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CoverageFormat::Human)]
    format: CoverageFormat,
    /// Exit 1 when any contract's field, value or null coverage is below
    /// this percentage.
    #[arg(long, value_name = "PCT")]
    fail_under: Option<f64>,
}

/// Coverage report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CoverageFormat {
    /// A table per contract, unexercised items first.
    Human,
    /// The JSON report documented in README.md.
    Json,
    /// A compact table for a pull-request comment.
    Markdown,
}

/// Runs the CLI with the process's arguments.
pub fn main() -> ExitCode {
    run_from(std::env::args_os())
}

/// Runs the CLI with the given arguments (the first is the program name).
pub fn run_from<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with 0; usage errors exit 2.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let outcome = match cli.command {
        Command::Validate(args) => validate(args, &mut out),
        Command::Coverage(args) => coverage(args, &mut out),
        Command::Contracts { observed } => contracts(observed, &mut out),
        Command::Schema { id } => schema(&id, &mut out),
        Command::Rules => rules(&mut out),
        Command::Redact {
            files,
            in_place,
            force,
        } => redact(&files, in_place, force, &mut out),
        Command::Explain { rule } => explain(&rule, &mut out),
    };
    let _ = out.flush();
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("actionlog: {message}");
            ExitCode::from(2)
        }
    }
}

fn options(args: &InputArgs) -> Result<Options, String> {
    let contract = args
        .contract
        .as_deref()
        .map(|id| actionlog_models::registry::find(id).ok_or_else(|| config::unknown_contract(id)))
        .transpose()?;
    let config_path = match (&args.config, args.no_config) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => std::env::current_dir()
            .ok()
            .and_then(|dir| Config::discover(&dir)),
    };
    let config = config_path.as_deref().map(Config::load).transpose()?;
    Ok(Options {
        contract,
        policy: Policy {
            strict: args.strict,
            allow_unknown: args.allow_unknown,
            documented_only: args.documented_only,
            ..Policy::default()
        },
        config,
        max_file_size: args.max_file_size,
        require_match: args.require_match,
        full_path_only: args.full_path_only,
        threads: args.threads,
    })
}

/// `FORMAT=FILE` for `--report`.
fn parse_report(text: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE, e.g. sarif=actionlog.sarif, got `{text}`"))?;
    let format = <Format as clap::ValueEnum>::from_str(format, true).map_err(|_| {
        format!("unknown format `{format}`; the formats are human, json, junit, sarif, github")
    })?;
    if path.is_empty() {
        return Err("the report file name is empty".to_owned());
    }
    Ok((format, PathBuf::from(path)))
}

fn validate(args: ValidateArgs, out: &mut dyn Write) -> Result<ExitCode, String> {
    let options = options(&args.input)?;
    let main = report::reporter(args.format, args.color);
    let mut reporter: Box<dyn report::Reporter> = if args.report.is_empty() {
        main
    } else {
        Box::new(
            report::Tee::new(main, &args.report)
                .map_err(|error| format!("cannot create a report file: {error}"))?,
        )
    };
    let mut coverage = args.coverage.as_ref().map(|_| Coverage::default());
    let summary = run::run_counting(
        &args.input.paths,
        &options,
        reporter.as_mut(),
        out,
        coverage.as_mut(),
    )
    .map_err(|error| format!("writing the report: {error}"))?;
    if let (Some(path), Some(coverage)) = (&args.coverage, &coverage) {
        let text = serde_json::to_string_pretty(&coverage.to_json())
            .map_err(|error| error.to_string())?
            + "\n";
        crate::redact::write_atomically(path, &text, path)?;
    }
    Ok(if summary.problems > 0 {
        ExitCode::from(2)
    } else if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn coverage(args: CoverageArgs, out: &mut dyn Write) -> Result<ExitCode, String> {
    let options = options(&args.input)?;
    // Inputs that cannot be read are reported as `validate` reports them, on
    // stderr, so stdout holds only the coverage report.
    let mut reporter = report::problems_only();
    let mut coverage = Coverage::default();
    let summary = run::run_counting(
        &args.input.paths,
        &options,
        reporter.as_mut(),
        &mut std::io::stderr(),
        Some(&mut coverage),
    )
    .map_err(|error| format!("writing the report: {error}"))?;
    let text = match args.format {
        CoverageFormat::Human => coverage.to_human(),
        CoverageFormat::Json => {
            serde_json::to_string_pretty(&coverage.to_json()).map_err(|error| error.to_string())?
                + "\n"
        }
        CoverageFormat::Markdown => coverage.to_markdown(),
    };
    out.write_all(text.as_bytes())
        .map_err(|error| error.to_string())?;
    Ok(if summary.problems > 0 {
        ExitCode::from(2)
    } else if args
        .fail_under
        .is_some_and(|percent| !coverage.meets(percent))
    {
        eprintln!("coverage is below {}%", args.fail_under.unwrap_or_default());
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn contracts(observed: bool, out: &mut dyn Write) -> Result<ExitCode, String> {
    use actionlog_models::registry::Fact;
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        for contract in CONTRACTS {
            writeln!(
                out,
                "{:<24} {:<12} {:<4} {}",
                contract.id,
                contract.vendor,
                contract.method.as_str(),
                contract.path_template
            )?;
            if !observed {
                continue;
            }
            for fact in contract.observed {
                let what = match fact.fact {
                    Fact::Value { value } => format!("value `{value}`"),
                    Fact::Type { json_type } => format!("type {json_type}"),
                    Fact::Member => "member".to_owned(),
                    Fact::Misspelling { real } => format!("table spelling of `{real}`"),
                };
                writeln!(out, "    {:<34} {:<40} {}", fact.pointer, what, fact.source)?;
            }
            for envelope in contract.error_bodies {
                writeln!(
                    out,
                    "    {:<34} {:<40} {}",
                    "(error body)", envelope.name, envelope.source
                )?;
            }
        }
        Ok(())
    };
    write(out).map_err(|error| error.to_string())?;
    Ok(ExitCode::SUCCESS)
}

fn schema(id: &str, out: &mut dyn Write) -> Result<ExitCode, String> {
    let contract =
        actionlog_models::registry::find(id).ok_or_else(|| config::unknown_contract(id))?;
    let text = crate::schema::text(contract);
    out.write_all(text.as_bytes())
        .map_err(|error| error.to_string())?;
    Ok(ExitCode::SUCCESS)
}

fn redact(
    files: &[PathBuf],
    in_place: bool,
    force: bool,
    out: &mut dyn Write,
) -> Result<ExitCode, String> {
    let mut failed = false;
    for file in files {
        let outcome = (|| -> Result<String, String> {
            let text = crate::input::read(file, crate::input::DEFAULT_MAX_FILE_SIZE)
                .map_err(|error| error.to_string())?;
            let (redacted, count) = crate::redact::redact(&text)?;
            let target = if in_place {
                file.clone()
            } else {
                crate::redact::output_path(file)
            };
            if !in_place && !force && target.exists() {
                return Err(format!(
                    "{} exists; pass --force to overwrite it",
                    target.display()
                ));
            }
            if !in_place || count > 0 {
                crate::redact::write_atomically(&target, &redacted, file)?;
            }
            Ok(format!("{}: {count} value(s) redacted", target.display()))
        })();
        match outcome {
            Ok(line) => writeln!(out, "{line}").map_err(|error| error.to_string())?,
            Err(reason) => {
                failed = true;
                eprintln!("actionlog: {}: {reason}", file.display());
            }
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn rules(out: &mut dyn Write) -> Result<ExitCode, String> {
    for rule in Rule::ALL {
        let info = rule.info();
        writeln!(
            out,
            "{:<22} {:<8} {}",
            info.id, info.default_severity, info.summary
        )
        .map_err(|error| error.to_string())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn explain(id: &str, out: &mut dyn Write) -> Result<ExitCode, String> {
    let rule = Rule::parse(id)?;
    let info = rule.info();
    writeln!(
        out,
        "{} ({} by default)\n\n{}\n\n{}",
        info.id, info.default_severity, info.summary, info.explain
    )
    .map_err(|error| error.to_string())?;
    Ok(ExitCode::SUCCESS)
}
