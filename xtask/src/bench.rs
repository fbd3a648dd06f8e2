//! `cargo xtask bench [--documents N] [--quick] [--scale] [--keep]`: the
//! validator's throughput, measured as whole processes against a plain
//! serde_json parse of the same files.
//!
//! 1. Builds `actionlog` and `xtask` in release.
//! 2. Generates a deterministic corpus (default 20,000 documents, `--quick`
//!    2,000) from the valid fixtures, about 2% of them broken on purpose, as
//!    a file tree `corpus/<contract-id>/NNNNN.json` and as
//!    `ndjson/<contract-id>.ndjson`.
//! 3. Times the parse-only and scan-only baselines (the hidden `xtask
//!    bench-baseline parse|scan PATH…`) and `actionlog validate --format
//!    json` on the tree and on the NDJSON files: one warm-up each, then best
//!    of [`REPEATS`] in interleaved rounds; then the peer tools that happen
//!    to be on `PATH`. Checks from the warm-up reports that
//!    actionlog failed exactly the broken documents (exit 1 is expected,
//!    exit 2 is an error).
//! 4. Times `actionlog validate` on one small fixture against `true`.
//! 5. Prints a table and writes `BENCHMARKS.md`.
//! 6. With `--scale`, also runs the tree case at 10× the documents and
//!    compares peak memory (about 2.8 GB more in the temporary folder, and
//!    minutes).
//!
//! Ratios (documents per second ÷ the parse-only baseline's) are the
//! headline: the machines are shared and their speed drifts.

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// The five contracts, in the order documents are dealt to them.
const CONTRACTS: [&str; 5] = [
    "auth0.execution",
    "buddy.action-execution",
    "arklow.action-records",
    "tines.action-events",
    "stackone.action-log",
];

/// One document in this many is broken on purpose (about 2%).
const INVALID_ONE_IN: u64 = 50;

/// Runs of the small-file comparison, for actionlog and for `true` each.
const SMALL_FILE_RUNS: usize = 200;

/// Each case is timed best of this many runs, after a warm-up. The machines
/// are shared: with 3, the all-threads cases (which need every core free at
/// once) still drew runs slowed by the neighbours' load, and with 5 the
/// same binary's two-thread tree run still came out anywhere from 1.6x to
/// 1.9x its one-thread run from one bench run to the next.
const REPEATS: usize = 9;

/// The fixture timed against a no-op process.
const SMALL_FIXTURE: &str = "fixtures/stackone.action-log/valid/page-example.json";

const USAGE: &str = "usage: cargo xtask bench [--documents N] [--quick] [--scale] [--keep]
  --documents N   corpus size (default 20000; --quick: 2000)
  --quick         a 2,000-document corpus, each case best of 3
  --scale         also run the tree case at 10x the documents and compare peak memory
  --keep          keep the generated corpus and print where it is";

#[derive(Debug)]
struct Options {
    documents: usize,
    scale: bool,
    keep: bool,
}

fn parse_options(args: &[String]) -> Result<Options> {
    let mut documents = None;
    let mut quick = false;
    let mut scale = false;
    let mut keep = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--scale" => scale = true,
            "--keep" => keep = true,
            "--documents" => {
                let value = args.next().context("--documents needs a number")?;
                documents = Some(parse_count(value)?);
            }
            other if other.starts_with("--documents=") => {
                documents = Some(parse_count(&other["--documents=".len()..])?);
            }
            "-h" | "--help" => bail!("{USAGE}"),
            other => bail!("unexpected argument `{other}`\n{USAGE}"),
        }
    }
    let documents = documents.unwrap_or(if quick { 2_000 } else { 20_000 });
    ensure!(
        documents >= CONTRACTS.len(),
        "--documents must be at least {}",
        CONTRACTS.len()
    );
    Ok(Options {
        documents,
        scale,
        keep,
    })
}

fn parse_count(text: &str) -> Result<usize> {
    text.replace(['_', ','], "")
        .parse()
        .with_context(|| format!("--documents: `{text}` is not a number"))
}

/// `cargo xtask bench …`.
pub fn run(root: &Path, args: &[String]) -> Result<ExitCode> {
    let options = parse_options(args)?;
    let started = Instant::now();
    let command_line = std::iter::once("cargo xtask bench".to_owned())
        .chain(args.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");

    step("building release binaries");
    let binaries = build(root)?;

    let pools = Pools::load(root)?;
    let work = tempfile::Builder::new()
        .prefix("actionlog-bench-")
        .tempdir()
        .context("creating a temporary folder")?;
    let dir = work.path().to_path_buf();
    step(&format!(
        "generating {} documents in {}",
        options.documents,
        dir.display()
    ));
    let generated_at = Instant::now();
    let corpus = generate(&pools, &dir, options.documents, true)?;
    eprintln!(
        "  {} documents ({} broken on purpose): tree {}, NDJSON {}, in {:.1} s",
        corpus.documents,
        corpus.invalid_files.len(),
        megabytes(corpus.tree_bytes),
        megabytes(corpus.ndjson_bytes),
        generated_at.elapsed().as_secs_f64()
    );

    let repeats = REPEATS;
    let runner = Runner::new(&dir)?;
    let load_before = load_average();
    let mut rows = Vec::new();
    measure_corpus(&runner, &binaries, root, &corpus, repeats, &mut rows)?;

    step(&format!(
        "one small file, {SMALL_FILE_RUNS} runs each of actionlog and `true`"
    ));
    let small = small_file(&binaries.actionlog, &root.join(SMALL_FIXTURE))?;

    let mut report = Report {
        command_line,
        machine: Machine::read(),
        corpus: &corpus,
        repeats,
        rows: &rows,
        small,
        scale: None,
        minutes: started.elapsed().as_secs_f64() / 60.0,
        load: (load_before, load_average()),
    };
    println!("\n{}", report.table());
    println!("{}", report.small_file_table());
    let path = root.join("BENCHMARKS.md");
    // Written now, and again after --scale: a long run cut short keeps these.
    fs::write(&path, report.markdown()).with_context(|| format!("writing {}", path.display()))?;
    if options.scale {
        report.scale = Some(scale_run(&runner, &binaries, &pools, &dir, &corpus, &rows)?);
        report.minutes = started.elapsed().as_secs_f64() / 60.0;
        if let Some(scale) = report.scale_table() {
            println!("{scale}");
        }
        fs::write(&path, report.markdown())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "wrote {} ({:.1} min in all)",
        path.display(),
        report.minutes
    );
    if options.keep {
        let kept = work.keep();
        println!("kept the corpus in {}", kept.display());
    }
    let mismatched = rows.iter().any(|row| row.found.starts_with("NO"));
    Ok(if mismatched {
        eprintln!("actionlog did not fail exactly the documents broken on purpose (see the table)");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn step(what: &str) {
    eprintln!("bench: {what}");
}

// ---------------------------------------------------------------------------
// Building

struct Binaries {
    actionlog: PathBuf,
    xtask: PathBuf,
}

fn build(root: &Path) -> Result<Binaries> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "-p",
            "actionlog-validator",
            "-p",
            "xtask",
        ])
        .current_dir(root)
        .status()
        .context("running cargo build --release")?;
    ensure!(status.success(), "cargo build --release failed ({status})");
    let metadata = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo metadata")?;
    ensure!(metadata.status.success(), "cargo metadata failed");
    let metadata: Value =
        serde_json::from_slice(&metadata.stdout).context("reading cargo metadata")?;
    let target = metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let release = target.join("release");
    let binaries = Binaries {
        actionlog: release.join("actionlog"),
        xtask: release.join("xtask"),
    };
    for binary in [&binaries.actionlog, &binaries.xtask] {
        ensure!(binary.is_file(), "{} was not built", binary.display());
    }
    Ok(binaries)
}

// ---------------------------------------------------------------------------
// The corpus

/// A small, seeded, deterministic generator (SplitMix64): the corpus is the
/// same on every machine and every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A size between `low` and `high`, uniform in its logarithm: many
    /// small, a few large.
    fn log_uniform(&mut self, low: f64, high: f64) -> usize {
        (low * (high / low).powf(self.unit())) as usize
    }

    fn pick<'a, T>(&mut self, pool: &'a [T]) -> &'a T {
        &pool[self.index(pool.len())]
    }
}

/// What documents are made from: the valid fixtures.
struct Pools {
    auth0: Vec<Value>,
    buddy: Vec<Value>,
    stackone: Vec<Value>,
    tines: Vec<Value>,
    /// Tines pages with at least one event (for the broken ones).
    tines_with_events: Vec<Value>,
    arklow_items: Vec<Value>,
    log_lines: Vec<Value>,
}

impl Pools {
    fn load(root: &Path) -> Result<Pools> {
        for id in CONTRACTS {
            ensure!(
                actionlog_models::registry::find(id).is_some(),
                "the bench knows a contract `{id}` that the registry does not"
            );
        }
        // Pages that are already large (a 50-event Tines page, a 2,000-line
        // Buddy log) are size sources, not bases: sizes are varied below.
        const LARGEST_BASE: usize = 32 * 1024;
        let load = |id: &str| valid_documents(root, id, LARGEST_BASE);
        let tines = load("tines.action-events")?;
        let tines_with_events = tines
            .iter()
            .filter(|page| page["events"].as_array().is_some_and(|e| !e.is_empty()))
            .cloned()
            .collect();
        let arklow_items = valid_documents(root, "arklow.action-records", usize::MAX)?
            .iter()
            .filter_map(|page| page["data"]["items"].as_array())
            .flatten()
            .filter(|item| item.is_object())
            .cloned()
            .collect();
        let log_lines = valid_documents(root, "buddy.action-execution", usize::MAX)?
            .iter()
            .filter_map(|execution| execution["log"].as_array())
            .flatten()
            .filter(|line| line.is_string())
            .cloned()
            .collect();
        let pools = Pools {
            auth0: load("auth0.execution")?,
            buddy: load("buddy.action-execution")?,
            stackone: load("stackone.action-log")?,
            tines,
            tines_with_events,
            arklow_items,
            log_lines,
        };
        for (what, len) in [
            ("auth0.execution documents", pools.auth0.len()),
            ("buddy.action-execution documents", pools.buddy.len()),
            ("stackone.action-log documents", pools.stackone.len()),
            ("tines.action-events pages", pools.tines_with_events.len()),
            ("arklow.action-records items", pools.arklow_items.len()),
            ("buddy.action-execution log lines", pools.log_lines.len()),
        ] {
            ensure!(len > 0, "no valid fixture gives {what}");
        }
        Ok(pools)
    }
}

/// The objects of `fixtures/<id>/valid/*.json` and of every line of its
/// `*.ndjson` files, in file name order, each no larger than `largest`.
fn valid_documents(root: &Path, id: &str, largest: usize) -> Result<Vec<Value>> {
    let folder = root.join("fixtures").join(id).join("valid");
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .with_context(|| format!("reading {}", folder.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    let mut documents = Vec::new();
    for file in files {
        let text =
            fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        let texts: Vec<&str> = match file.extension().and_then(|e| e.to_str()) {
            Some("json") => vec![text.as_str()],
            Some("ndjson" | "jsonl") => text.lines().filter(|l| !l.trim().is_empty()).collect(),
            _ => continue,
        };
        for text in texts.into_iter().filter(|text| text.len() <= largest) {
            let value: Value = serde_json::from_str(text)
                .with_context(|| format!("parsing {}", file.display()))?;
            if value.is_object() {
                documents.push(value);
            }
        }
    }
    Ok(documents)
}

/// A generated corpus on disk.
struct Corpus {
    /// Where `corpus/`, `ndjson/` and the NDJSON configuration are.
    dir: PathBuf,
    documents: usize,
    per_contract: [usize; 5],
    tree_bytes: u64,
    ndjson_bytes: u64,
    /// The size of the largest NDJSON file.
    largest_ndjson: u64,
    /// `corpus/<id>/NNNNN.json` of each broken document.
    invalid_files: BTreeSet<String>,
    /// `ndjson/<id>.ndjson:LINE` of each broken document.
    invalid_lines: BTreeSet<String>,
}

/// The `actionlog.toml` that maps each NDJSON file to its contract (a file
/// name is not a path segment, so the tree's rule does not apply).
const NDJSON_CONFIG: &str = "actionlog-ndjson.toml";

/// Writes `documents` documents under `dir`: the tree always, the NDJSON
/// files when `ndjson` is set. The same `documents` always gives the same
/// bytes.
fn generate(pools: &Pools, dir: &Path, documents: usize, ndjson: bool) -> Result<Corpus> {
    let mut rng = Rng(0x00AC_7109_BE5C_2026);
    let width = (documents / CONTRACTS.len()).to_string().len().max(5);
    let mut writers = Vec::new();
    for id in CONTRACTS {
        fs::create_dir_all(dir.join("corpus").join(id))?;
        if ndjson {
            fs::create_dir_all(dir.join("ndjson"))?;
            let path = dir.join("ndjson").join(format!("{id}.ndjson"));
            writers.push(BufWriter::new(
                File::create(&path).with_context(|| format!("creating {}", path.display()))?,
            ));
        }
    }
    if ndjson {
        let mut config = String::from("[contracts]\n");
        for id in CONTRACTS {
            writeln!(config, "\"ndjson/{id}.ndjson\" = \"{id}\"")?;
        }
        fs::write(dir.join(NDJSON_CONFIG), config)?;
    }
    let mut ndjson_sizes = [0u64; 5];
    let mut corpus = Corpus {
        dir: dir.to_path_buf(),
        documents,
        per_contract: [0; 5],
        tree_bytes: 0,
        ndjson_bytes: 0,
        largest_ndjson: 0,
        invalid_files: BTreeSet::new(),
        invalid_lines: BTreeSet::new(),
    };
    for serial in 0..documents {
        let contract = serial % CONTRACTS.len();
        let id = CONTRACTS[contract];
        let index = corpus.per_contract[contract];
        corpus.per_contract[contract] += 1;
        let invalid = rng.below(INVALID_ONE_IN) == 0;
        let document = match contract {
            0 => auth0(pools, &mut rng, serial, invalid),
            1 => buddy(pools, &mut rng, invalid),
            2 => arklow(pools, &mut rng, serial, invalid),
            3 => tines(pools, &mut rng, serial, invalid),
            _ => stackone(pools, &mut rng, invalid),
        };
        let name = format!("{index:0width$}.json");
        let mut pretty = serde_json::to_string_pretty(&document)?;
        pretty.push('\n');
        fs::write(dir.join("corpus").join(id).join(&name), &pretty)?;
        corpus.tree_bytes += pretty.len() as u64;
        if ndjson {
            let mut line = serde_json::to_string(&document)?;
            line.push('\n');
            writers[contract].write_all(line.as_bytes())?;
            corpus.ndjson_bytes += line.len() as u64;
            ndjson_sizes[contract] += line.len() as u64;
        }
        if invalid {
            corpus.invalid_files.insert(format!("corpus/{id}/{name}"));
            corpus
                .invalid_lines
                .insert(format!("ndjson/{id}.ndjson:{}", index + 1));
        }
    }
    for mut writer in writers {
        writer.flush()?;
    }
    corpus.largest_ndjson = ndjson_sizes.into_iter().max().unwrap_or(0);
    Ok(corpus)
}

fn set(document: &mut Value, member: &str, value: Value) {
    if let Some(object) = document.as_object_mut() {
        object.insert(member.to_owned(), value);
    }
}

/// An Auth0 execution as a fixture has it, with a new id; broken: a status
/// the page does not list.
fn auth0(pools: &Pools, rng: &mut Rng, serial: usize, invalid: bool) -> Value {
    let mut document = rng.pick(&pools.auth0).clone();
    if document.get("id").is_some() {
        set(
            &mut document,
            "id",
            json!(format!("{serial:08x}{:024x}", rng.next() as u128)),
        );
    }
    if invalid {
        set(&mut document, "status", json!("done"));
    }
    document
}

/// A Buddy action execution with a log of a few to ~800 lines (a few
/// hundred bytes to ~40 KB); broken: a status the page does not list.
fn buddy(pools: &Pools, rng: &mut Rng, invalid: bool) -> Value {
    let mut document = rng.pick(&pools.buddy).clone();
    if document["log"].is_array() {
        let lines = rng.log_uniform(4.0, 800.0);
        let start = rng.index(pools.log_lines.len());
        let log: Vec<Value> = (0..lines)
            .map(|line| pools.log_lines[(start + line) % pools.log_lines.len()].clone())
            .collect();
        set(&mut document, "log", Value::Array(log));
    }
    if invalid {
        set(&mut document, "status", json!("DONE"));
    }
    document
}

/// An Arklow page of 0–15 records (one page in 20: a full page of 50), each
/// a fixture's record with a new unique id that its events point at;
/// broken: a `started_at` with a space for the `T`.
fn arklow(pools: &Pools, rng: &mut Rng, serial: usize, invalid: bool) -> Value {
    let records = if rng.below(20) == 0 {
        50
    } else {
        rng.index(16)
    };
    let items: Vec<Value> = (0..records)
        .map(|record| {
            let mut item = rng.pick(&pools.arklow_items).clone();
            let old_id = item["id"].as_str().map(str::to_owned);
            if old_id.is_some() {
                let id = format!("rec_{serial:08}{record:02}{:08X}", rng.next() as u32);
                set(&mut item, "id", json!(id));
                if let Some(events) = item.get_mut("events").and_then(Value::as_array_mut) {
                    for (number, event) in events.iter_mut().enumerate() {
                        if event["action_record_id"].as_str() == old_id.as_deref() {
                            set(event, "action_record_id", json!(id));
                        }
                        if event["id"].is_string() {
                            set(
                                event,
                                "id",
                                json!(format!("evt_{serial}_{record}_{number}")),
                            );
                        }
                    }
                }
            }
            item
        })
        .collect();
    let count = if records == 50 {
        50 + rng.below(500)
    } else {
        records as u64
    };
    let mut document = json!({"data": {"items": items, "count": count}, "errors": []});
    if invalid {
        match document
            .pointer_mut("/data/items/0/state")
            .and_then(Value::as_object_mut)
        {
            Some(state) => {
                state.insert("started_at".to_owned(), json!("2024-07-19 13:45:02Z"));
            }
            None => document["data"]["count"] = json!("many"),
        }
    }
    document
}

const SEVERITIES: [&str; 3] = ["low", "medium", "high"];

/// A Tines page whose object payloads carry an extra fetched-records
/// member of a few hundred bytes to ~40 KB in all; broken: an impossible
/// date (30 February) in the first event's times.
fn tines(pools: &Pools, rng: &mut Rng, serial: usize, invalid: bool) -> Value {
    let pool = if invalid {
        &pools.tines_with_events
    } else {
        &pools.tines
    };
    let mut document = rng.pick(pool).clone();
    // About 190 bytes per row, pretty-printed.
    let rows = rng.log_uniform(200.0, 40_000.0) / 190;
    if let Some(events) = document.get_mut("events").and_then(Value::as_array_mut) {
        let carriers = events
            .iter()
            .filter(|event| event["payload"].is_object())
            .count();
        let per_event = rows / carriers.max(1);
        for (number, event) in events.iter_mut().enumerate() {
            if let Some(payload) = event.get_mut("payload").and_then(Value::as_object_mut) {
                let rows: Vec<Value> = (0..per_event)
                    .map(|row| {
                        json!({
                            "id": format!("row-{serial}-{number}-{row}"),
                            "hostname": format!("wks-{}.corp.acme.example", rng.below(5000)),
                            "severity": SEVERITIES[rng.index(3)],
                            "seen": rng.below(1000),
                            "score": rng.below(10_000) as f64 / 100.0,
                            "tags": ["edr", "triage"],
                        })
                    })
                    .collect();
                payload.insert(
                    "fetch_records".to_owned(),
                    json!({"status": 200, "body": {"rows": rows}}),
                );
            }
        }
        if invalid && let Some(first) = events.first_mut() {
            set(first, "created_at", json!("2024-02-30T16:20:41.512Z"));
            set(first, "updated_at", json!("2024-02-30T16:20:41.512Z"));
        }
    }
    document
}

/// A StackOne action log as a fixture has it, with a new `log_id`; broken:
/// an impossible date (31 June) in `event_time`.
fn stackone(pools: &Pools, rng: &mut Rng, invalid: bool) -> Value {
    let mut document = rng.pick(&pools.stackone).clone();
    let (a, b) = (rng.next(), rng.next());
    let uuid = format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    );
    set(&mut document, "log_id", json!(uuid));
    if invalid {
        set(&mut document, "event_time", json!("2025-06-31T14:45:12Z"));
    }
    document
}

// ---------------------------------------------------------------------------
// Measuring

/// One timed process.
#[derive(Debug, Clone, Copy)]
struct Measured {
    seconds: f64,
    /// Peak resident set size, from `/usr/bin/time`.
    rss_kib: Option<u64>,
}

/// Runs processes in the corpus folder, under `/usr/bin/time` when there is
/// one (for the peak RSS; the wall time is taken here, to the microsecond).
struct Runner {
    dir: PathBuf,
    time: Option<PathBuf>,
}

impl Runner {
    fn new(dir: &Path) -> Result<Runner> {
        let time = Path::new("/usr/bin/time");
        let time = (time.is_file()
            && Command::new(time)
                .args(["-f", "%e %M", "true"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success()))
        .then(|| time.to_path_buf());
        if time.is_none() {
            eprintln!("bench: no GNU /usr/bin/time: peak memory is not measured");
        }
        fs::create_dir_all(dir.join("runs"))?;
        Ok(Runner {
            dir: dir.to_path_buf(),
            time,
        })
    }

    /// Runs `program args…` once with stdout to `stdout` (or /dev/null);
    /// the exit code is -1 when a signal ended it.
    fn once(
        &self,
        program: &Path,
        args: &[OsString],
        stdout: Option<&Path>,
    ) -> Result<(Measured, i32)> {
        let time_file = self.dir.join("runs").join("time.txt");
        let stderr_file = self.dir.join("runs").join("stderr.txt");
        let mut command = match &self.time {
            Some(time) => {
                let mut command = Command::new(time);
                command
                    .args(["-f", "%e %M", "-o"])
                    .arg(&time_file)
                    .arg(program);
                command
            }
            None => Command::new(program),
        };
        let stdout = match stdout {
            Some(path) => Stdio::from(File::create(path)?),
            None => Stdio::null(),
        };
        command
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::from(File::create(&stderr_file)?));
        let start = Instant::now();
        let status = command
            .status()
            .with_context(|| format!("running {}", program.display()))?;
        let seconds = start.elapsed().as_secs_f64();
        let rss_kib = self.time.as_ref().and_then(|_| {
            // `time` writes "Command exited with non-zero status N" first
            // when the command fails; the format line is the last.
            let text = fs::read_to_string(&time_file).ok()?;
            let last = text.lines().rev().find(|line| !line.trim().is_empty())?;
            last.split_whitespace().nth(1)?.parse().ok()
        });
        Ok((Measured { seconds, rss_kib }, status.code().unwrap_or(-1)))
    }

    fn stderr(&self) -> String {
        let text = fs::read_to_string(self.dir.join("runs").join("stderr.txt")).unwrap_or_default();
        text.lines().take(20).collect::<Vec<_>>().join("\n")
    }

    /// One run of `case`, an error unless its exit code is allowed.
    fn checked(&self, case: &Case, stdout: Option<&Path>) -> Result<Measured> {
        self.once_allowed(&case.program, &case.args, case.allowed, stdout)
    }

    fn once_allowed(
        &self,
        program: &Path,
        args: &[OsString],
        allowed: &[i32],
        stdout: Option<&Path>,
    ) -> Result<Measured> {
        let (measured, code) = self.once(program, args, stdout)?;
        if !allowed.contains(&code) {
            let out = stdout
                .and_then(|path| fs::read_to_string(path).ok())
                .map(|text| {
                    // The end of a JSON report holds its problems.
                    let tail: Vec<char> = text.chars().rev().take(3000).collect();
                    tail.into_iter().rev().collect::<String>()
                })
                .unwrap_or_default();
            bail!(
                "{} {} exited {code}:\n{}{out}",
                program.display(),
                args.iter()
                    .map(|arg| arg.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" "),
                self.stderr()
            );
        }
        Ok(measured)
    }

    /// One warm-up run (its stdout kept in `warm_up_stdout` if given), then
    /// the best of `repeats` runs. Any exit code not in `allowed` is an
    /// error.
    fn best(
        &self,
        program: &Path,
        args: &[OsString],
        allowed: &[i32],
        repeats: usize,
        warm_up_stdout: Option<&Path>,
    ) -> Result<Measured> {
        self.once_allowed(program, args, allowed, warm_up_stdout)?;
        let mut best: Option<Measured> = None;
        for _ in 0..repeats {
            let measured = self.once_allowed(program, args, allowed, None)?;
            if best.is_none_or(|best| measured.seconds < best.seconds) {
                best = Some(measured);
            }
        }
        best.context("no measured run")
    }
}

fn os_args(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// One line of the table.
struct Row {
    case: &'static str,
    how: String,
    documents: usize,
    bytes: u64,
    /// `None`: not run (see `found`).
    measured: Option<Measured>,
    /// Which row is its "same input" parse-only baseline.
    baseline: Baseline,
    found: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Baseline {
    Tree,
    Ndjson,
}

impl Row {
    fn documents_per_second(&self) -> Option<f64> {
        self.measured
            .map(|measured| self.documents as f64 / measured.seconds)
    }
}

const PEERS: [&str; 3] = [
    "jsonschema-cli",
    "ajv-cli + ajv-formats",
    "check-jsonschema",
];
const PARSE_TREE: &str = "serde_json parse-only";
const PARSE_NDJSON: &str = "serde_json parse-only, NDJSON";
const SCAN_TREE: &str = "serde_json scan-only (`IgnoredAny`)";
const VALIDATE_TREE: &str = "actionlog validate, file tree, 1 thread";
const VALIDATE_TREE_ALL: &str = "actionlog validate, file tree, all threads";
const VALIDATE_TREE_FULL: &str = "actionlog validate, file tree, full path only, 1 thread";
const VALIDATE_NDJSON: &str = "actionlog validate, NDJSON, 1 thread";
const VALIDATE_NDJSON_ALL: &str = "actionlog validate, NDJSON, all threads";

/// One process to time over the corpus.
struct Case {
    row: Row,
    program: PathBuf,
    args: Vec<OsString>,
    allowed: &'static [i32],
    /// Where the warm-up run's stdout goes (checked afterwards).
    warm_up_stdout: PathBuf,
}

/// The baselines and actionlog, each warmed up once and then run `repeats`
/// times in interleaved rounds (every case once per round), keeping each
/// case's fastest run: on a shared machine, a busy spell then hits one run
/// of every case rather than every run of one case.
fn measure_corpus(
    runner: &Runner,
    binaries: &Binaries,
    root: &Path,
    corpus: &Corpus,
    repeats: usize,
    rows: &mut Vec<Row>,
) -> Result<()> {
    let runs = corpus.dir.join("runs");
    let row = |case, how: &str, bytes, baseline| Row {
        case,
        how: how.to_owned(),
        documents: corpus.documents,
        bytes,
        measured: None,
        baseline,
        found: "–".to_owned(),
    };
    let baseline = |case, how, mode: &str, path: &str, bytes, base| Case {
        row: row(case, how, bytes, base),
        program: binaries.xtask.clone(),
        args: os_args(&["bench-baseline", mode, path]),
        allowed: &[0],
        warm_up_stdout: runs.join(format!("baseline-{mode}-{path}.txt")),
    };
    let mut cases = vec![
        baseline(
            PARSE_TREE,
            "read + parse each file to `Value`, 1 thread",
            "parse",
            "corpus",
            corpus.tree_bytes,
            Baseline::Tree,
        ),
        baseline(
            SCAN_TREE,
            "read + check syntax, build nothing, 1 thread",
            "scan",
            "corpus",
            corpus.tree_bytes,
            Baseline::Tree,
        ),
        baseline(
            PARSE_NDJSON,
            "the same documents, line by line",
            "parse",
            "ndjson",
            corpus.ndjson_bytes,
            Baseline::Ndjson,
        ),
    ];
    let tree = |case, how: &str, flags: &[&str], out: &str| Case {
        row: row(case, how, corpus.tree_bytes, Baseline::Tree),
        program: binaries.actionlog.clone(),
        args: os_args(
            &[
                &["validate", "--no-config", "--format", "json"],
                flags,
                &["corpus"],
            ]
            .concat(),
        ),
        allowed: &[0, 1],
        warm_up_stdout: runs.join(out),
    };
    cases.push(tree(
        VALIDATE_TREE,
        "`validate -j 1 --format json corpus/` (contract from the path)",
        &["-j", "1"],
        "actionlog-tree.json",
    ));
    cases.push(tree(
        VALIDATE_TREE_ALL,
        "the same, `-j 0` (one thread per core)",
        &["-j", "0"],
        "actionlog-tree-all.json",
    ));
    cases.push(tree(
        VALIDATE_TREE_FULL,
        "the same with `--full-path-only -j 1`: every document parsed to a `Value` (what the fast path saves)",
        &["--full-path-only", "-j", "1"],
        "actionlog-tree-full.json",
    ));
    let ndjson = |case, how: &str, threads: &str, out: &str| Case {
        row: row(case, how, corpus.ndjson_bytes, Baseline::Ndjson),
        program: binaries.actionlog.clone(),
        args: vec![
            "validate".into(),
            // An absolute path: actionlog resolves the globs of a bare
            // file name (`--config x.toml`) against "" and matches nothing.
            // (No `--max-file-size`: it holds each line of an NDJSON file,
            // not the file.)
            "--config".into(),
            corpus.dir.join(NDJSON_CONFIG).into(),
            "-j".into(),
            threads.into(),
            "--format".into(),
            "json".into(),
            "ndjson".into(),
        ],
        allowed: &[0, 1],
        warm_up_stdout: runs.join(out),
    };
    cases.push(ndjson(
        VALIDATE_NDJSON,
        "`validate -j 1 --format json ndjson/` (contract from actionlog.toml)",
        "1",
        "actionlog-ndjson.json",
    ));
    cases.push(ndjson(
        VALIDATE_NDJSON_ALL,
        "the same, `-j 0`",
        "0",
        "actionlog-ndjson-all.json",
    ));

    step("warming up, and checking what each case saw");
    for case in &mut cases {
        runner.checked(case, Some(&case.warm_up_stdout))?;
    }
    for case in &mut cases {
        let out = &case.warm_up_stdout;
        if case.program == binaries.xtask {
            let summary = fs::read_to_string(out)?;
            let expected = format!("documents {} ", corpus.documents);
            ensure!(
                summary.starts_with(&expected) && summary.trim_end().ends_with("not-json 0"),
                "{} saw `{}`, expected {} documents, all JSON",
                case.row.case,
                summary.trim(),
                corpus.documents
            );
        } else {
            let broken = match case.row.baseline {
                Baseline::Tree => &corpus.invalid_files,
                Baseline::Ndjson => &corpus.invalid_lines,
            };
            case.row.found = verdicts(out, corpus.documents, broken)?;
        }
    }
    for round in 1..=repeats {
        step(&format!("round {round} of {repeats}"));
        for case in &mut cases {
            let measured = runner.checked(case, None)?;
            if case
                .row
                .measured
                .is_none_or(|best| measured.seconds < best.seconds)
            {
                case.row.measured = Some(measured);
            }
        }
    }
    rows.extend(cases.into_iter().map(|case| case.row));
    // The peers are slow and only compared coarsely: one timed run each.
    peers(runner, root, corpus, 1, rows)
}

/// Whether actionlog's JSON report failed exactly the broken documents.
fn verdicts(report: &Path, documents: usize, broken: &BTreeSet<String>) -> Result<String> {
    let text =
        fs::read_to_string(report).with_context(|| format!("reading {}", report.display()))?;
    let report: Value = serde_json::from_str(&text).context("reading actionlog's JSON report")?;
    let summary = &report["summary"];
    let count = |name: &str| summary[name].as_u64().unwrap_or(0);
    ensure!(
        count("problems") == 0,
        "actionlog could not check every input: {}",
        report["problems"]
    );
    ensure!(
        count("documents") == documents as u64,
        "actionlog checked {} documents, not {documents}",
        count("documents")
    );
    let mut failed = BTreeSet::new();
    let mut explanations = Vec::new();
    for document in report["documents"].as_array().into_iter().flatten() {
        if document["ok"] == json!(false) {
            let file = document["file"].as_str().unwrap_or_default();
            let key = match document["line"].as_u64() {
                Some(line) => format!("{file}:{line}"),
                None => file.to_owned(),
            };
            if !broken.contains(&key) && explanations.len() < 5 {
                let first = &document["diagnostics"][0];
                explanations.push(format!(
                    "{key}: {} at {}: {}",
                    first["rule"], first["instance_path"], first["message"]
                ));
            }
            failed.insert(key);
        }
    }
    let wrongly_failed = failed.difference(broken).count();
    let missed = broken.difference(&failed).count();
    if wrongly_failed == 0 && missed == 0 {
        Ok(format!("yes, {} of {}", failed.len(), broken.len()))
    } else {
        for explanation in &explanations {
            eprintln!("  a valid document failed: {explanation}");
        }
        Ok(format!(
            "NO: {} failed ({wrongly_failed} valid ones), {missed} of {} broken ones passed",
            failed.len(),
            broken.len()
        ))
    }
}

/// The peer tools, each only if it is already on `PATH`, one process per
/// schema (times added, peak memory the largest).
fn peers(
    runner: &Runner,
    root: &Path,
    corpus: &Corpus,
    repeats: usize,
    rows: &mut Vec<Row>,
) -> Result<()> {
    type Arguments = fn(&Path, &[String], &str) -> Vec<OsString>;
    let tools: [(&'static str, &str, &str, Arguments); 3] = [
        (
            "jsonschema-cli",
            "jsonschema-cli",
            "`jsonschema-cli SCHEMA --assert-format -i FILE…`, one process per schema",
            |schema, files, _| {
                let mut args = vec![schema.into(), "--assert-format".into()];
                for file in files {
                    args.push("-i".into());
                    args.push(file.into());
                }
                args
            },
        ),
        (
            "ajv-cli + ajv-formats",
            "ajv",
            "`ajv validate --spec=draft2020 -c ajv-formats -s SCHEMA -d 'corpus/ID/*.json'`",
            |schema, _, id| {
                vec![
                    "validate".into(),
                    "--spec=draft2020".into(),
                    "--strict=false".into(),
                    "-c".into(),
                    "ajv-formats".into(),
                    "-s".into(),
                    schema.into(),
                    "-d".into(),
                    format!("corpus/{id}/*.json").into(),
                ]
            },
        ),
        (
            "check-jsonschema",
            "check-jsonschema",
            "`check-jsonschema --schemafile SCHEMA FILE…`, one process per schema",
            |schema, files, _| {
                let mut args = vec!["--schemafile".into(), schema.into()];
                args.extend(files.iter().map(OsString::from));
                args
            },
        ),
    ];
    for (case, program, how, arguments) in tools {
        let Some(path) = on_path(program) else {
            rows.push(Row {
                case,
                how: how.to_owned(),
                documents: corpus.documents,
                bytes: corpus.tree_bytes,
                measured: None,
                baseline: Baseline::Tree,
                found: "not installed".to_owned(),
            });
            continue;
        };
        step(&format!("{case} ({})", path.display()));
        let mut total = Measured {
            seconds: 0.0,
            rss_kib: None,
        };
        let mut failure = None;
        for id in CONTRACTS {
            let schema = root.join("schemas").join(format!("{id}.schema.json"));
            let folder = corpus.dir.join("corpus").join(id);
            let mut files: Vec<String> = fs::read_dir(&folder)?
                .map(|entry| {
                    entry.map(|e| format!("corpus/{id}/{}", e.file_name().to_string_lossy()))
                })
                .collect::<Result<_, _>>()?;
            files.sort();
            // Exit 1 is "some instance is invalid" for all three.
            match runner.best(
                &path,
                &arguments(&schema, &files, id),
                &[0, 1],
                repeats,
                None,
            ) {
                Ok(measured) => {
                    total.seconds += measured.seconds;
                    total.rss_kib = total.rss_kib.max(measured.rss_kib);
                }
                Err(error) => {
                    eprintln!("  {case} on {id}: {error:#}");
                    failure = Some(format!("failed on {id}"));
                    break;
                }
            }
        }
        rows.push(Row {
            case,
            how: how.to_owned(),
            documents: corpus.documents,
            bytes: corpus.tree_bytes,
            measured: failure.is_none().then_some(total),
            baseline: Baseline::Tree,
            found: failure.unwrap_or_else(|| "not counted".to_owned()),
        });
    }
    Ok(())
}

/// `program`'s path if it is an executable file on `PATH`.
fn on_path(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt as _;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|folder| folder.join(program))
        .find(|candidate| {
            fs::metadata(candidate)
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
}

/// `actionlog validate FILE` against `true`, interleaved.
struct SmallFile {
    bytes: u64,
    runs: usize,
    true_ms: f64,
    actionlog_ms: f64,
}

fn small_file(actionlog: &Path, fixture: &Path) -> Result<SmallFile> {
    let time = |command: &mut Command| -> Result<(f64, bool)> {
        let start = Instant::now();
        let status = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        Ok((start.elapsed().as_secs_f64() * 1000.0, status.success()))
    };
    let mut no_op = Vec::new();
    let mut validate = Vec::new();
    // Five warm-up runs of each, not counted.
    for run in 0..SMALL_FILE_RUNS + 5 {
        let (ms, _) = time(&mut Command::new("true")).context("running `true`")?;
        let (validate_ms, passed) = time(Command::new(actionlog).arg("validate").arg(fixture))?;
        ensure!(
            passed,
            "actionlog validate {} did not pass",
            fixture.display()
        );
        if run >= 5 {
            no_op.push(ms);
            validate.push(validate_ms);
        }
    }
    Ok(SmallFile {
        bytes: fs::metadata(fixture)?.len(),
        runs: SMALL_FILE_RUNS,
        true_ms: median(&mut no_op),
        actionlog_ms: median(&mut validate),
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The tree case at N (from `rows`) and at 10×N.
struct Scale {
    documents: usize,
    peak_kib: Option<u64>,
    large_documents: usize,
    large_bytes: u64,
    large: Measured,
}

fn scale_run(
    runner: &Runner,
    binaries: &Binaries,
    pools: &Pools,
    dir: &Path,
    corpus: &Corpus,
    rows: &[Row],
) -> Result<Scale> {
    let large_documents = corpus.documents * 10;
    let large_dir = dir.join("scale");
    step(&format!(
        "--scale: generating {large_documents} documents (tree only)"
    ));
    let large = generate(pools, &large_dir, large_documents, false)?;
    step("--scale: actionlog validate on the 10x tree (one run, no warm-up)");
    let scale_runner = Runner {
        dir: large_dir.clone(),
        time: runner.time.clone(),
    };
    fs::create_dir_all(large_dir.join("runs"))?;
    let (measured, code) = scale_runner.once(
        &binaries.actionlog,
        &os_args(&[
            "validate",
            "--no-config",
            "-j",
            "1",
            "--format",
            "json",
            "corpus",
        ]),
        None,
    )?;
    ensure!(
        code == 0 || code == 1,
        "actionlog on the 10x tree exited {code}:\n{}",
        scale_runner.stderr()
    );
    let peak_kib = rows
        .iter()
        .find(|row| row.case == VALIDATE_TREE)
        .and_then(|row| row.measured)
        .and_then(|measured| measured.rss_kib);
    let bytes = large.tree_bytes;
    fs::remove_dir_all(&large_dir).ok();
    Ok(Scale {
        documents: corpus.documents,
        peak_kib,
        large_documents,
        large_bytes: bytes,
        large: measured,
    })
}

// ---------------------------------------------------------------------------
// Reporting

struct Machine {
    cpu: String,
    cpus: usize,
    kernel: String,
    rustc: String,
}

impl Machine {
    fn read() -> Machine {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                (key.trim() == "model name").then(|| value.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|text| format!("Linux {}", text.trim()))
            .unwrap_or_else(|_| std::env::consts::OS.to_owned());
        let rustc = std::env::var_os("RUSTC")
            .map(PathBuf::from)
            .unwrap_or_else(|| "rustc".into());
        let rustc = Command::new(rustc)
            .arg("--version")
            .output()
            .ok()
            .and_then(|output| String::from_utf8(output.stdout).ok())
            .map(|text| text.trim().to_owned())
            .unwrap_or_else(|| "rustc (version unknown)".to_owned());
        Machine {
            cpu,
            cpus,
            kernel,
            rustc,
        }
    }
}

struct Report<'a> {
    command_line: String,
    machine: Machine,
    corpus: &'a Corpus,
    repeats: usize,
    rows: &'a [Row],
    small: SmallFile,
    scale: Option<Scale>,
    minutes: f64,
    /// The 1-minute load average before and after the measurements.
    load: (String, String),
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn mebibytes(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "n/a".to_owned(),
        |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
    )
}

/// A number with thousands separators.
fn grouped(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

impl Report<'_> {
    fn rate(&self, case: &str) -> Option<f64> {
        self.rows
            .iter()
            .find(|row| row.case == case)
            .and_then(Row::documents_per_second)
    }

    fn ratio(&self, case: &str) -> Option<f64> {
        Some(self.rate(case)? / self.rate(PARSE_TREE)?)
    }

    fn table(&self) -> String {
        let parse = self.rate(PARSE_TREE);
        let parse_ndjson = self.rate(PARSE_NDJSON);
        let mut out = String::from(
            "| case | how | docs/s | MB/s | ÷ parse-only | ÷ parse-only, same input | peak RSS | broken documents found |\n\
             |---|---|---|---|---|---|---|---|\n",
        );
        for row in self.rows {
            let Some(measured) = row.measured else {
                let _ = writeln!(
                    out,
                    "| {} | {} | – | – | – | – | – | {} |",
                    row.case, row.how, row.found
                );
                continue;
            };
            let rate = row.documents as f64 / measured.seconds;
            let same = match row.baseline {
                Baseline::Tree => parse,
                Baseline::Ndjson => parse_ndjson,
            };
            let ratio = |base: Option<f64>| {
                base.map_or("–".to_owned(), |base| format!("{:.2}", rate / base))
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.0} | {} | {} | {} | {} |",
                row.case,
                row.how,
                grouped(rate),
                row.bytes as f64 / 1e6 / measured.seconds,
                ratio(parse),
                ratio(same),
                mebibytes(measured.rss_kib),
                row.found
            );
        }
        out
    }

    fn small_file_table(&self) -> String {
        let small = &self.small;
        format!(
            "| one small file ({SMALL_FIXTURE}, {} bytes), median of {} runs | ms |\n\
             |---|---|\n\
             | `true` (no-op process) | {:.2} |\n\
             | `actionlog validate FILE` | {:.2} |\n\
             | **actionlog over the no-op** | **{:.2}** |\n",
            small.bytes,
            small.runs,
            small.true_ms,
            small.actionlog_ms,
            small.actionlog_ms - small.true_ms
        )
    }

    fn scale_table(&self) -> Option<String> {
        let scale = self.scale.as_ref()?;
        let growth = match (scale.peak_kib, scale.large.rss_kib) {
            (Some(small), Some(large)) if small > 0 => {
                format!("{:+.0}%", (large as f64 / small as f64 - 1.0) * 100.0)
            }
            _ => "n/a".to_owned(),
        };
        Some(format!(
            "| actionlog validate, file tree | documents | peak RSS |\n\
             |---|---|---|\n\
             | N | {} | {} |\n\
             | 10×N ({}, one run) | {} | {} |\n\
             | growth | ×10 | {growth} |\n",
            grouped(scale.documents as f64),
            mebibytes(scale.peak_kib),
            megabytes(scale.large_bytes),
            grouped(scale.large_documents as f64),
            mebibytes(scale.large.rss_kib),
        ))
    }

    fn markdown(&self) -> String {
        let corpus = self.corpus;
        let mut out = String::new();
        let _ = writeln!(out, "# Benchmarks\n");
        let _ = writeln!(
            out,
            "Generated by `{}` on {} (UTC); do not edit by hand, run it again.\n",
            self.command_line,
            today()
        );
        let _ = writeln!(
            out,
            "- Machine: {}, {} CPU{} ({}), {}.",
            self.machine.cpu,
            self.machine.cpus,
            if self.machine.cpus == 1 { "" } else { "s" },
            self.machine.kernel,
            self.machine.rustc
        );
        let _ = writeln!(
            out,
            "- Corpus: {} documents, {} each of the five contracts, generated deterministically from \
             the valid fixtures (Buddy logs and Tines payloads from a few hundred bytes to ~40 KB, \
             Arklow pages of 0–15 records and one in 20 of 50); {} of them broken on purpose \
             (a status the page does not list, an impossible date, a `date-time` with a space). \
             As pretty-printed files `corpus/<contract-id>/NNNNN.json`: {}; as NDJSON, one file \
             per contract: {}.",
            grouped(corpus.documents as f64),
            grouped((corpus.documents / CONTRACTS.len()) as f64),
            corpus.invalid_files.len(),
            megabytes(corpus.tree_bytes),
            megabytes(corpus.ndjson_bytes),
        );
        let _ = writeln!(
            out,
            "- Whole processes, page cache warm: each case ran once to warm up, then {} times in \
             interleaved rounds (every case once per round), keeping its fastest run; the peer \
             tools, once after a warm-up. Wall time measured around the process, peak RSS from \
             `/usr/bin/time -f %M`. The baselines are the hidden `xtask bench-baseline \
             parse|scan`, built in release like `actionlog`. Load average (1 min) before and \
             after: {} and {} on {} CPUs: the machine is shared, so read the ratios, not the \
             seconds.",
            self.repeats, self.load.0, self.load.1, self.machine.cpus,
        );
        let _ = writeln!(out, "- The whole run took {:.1} minutes.\n", self.minutes);
        let _ = writeln!(out, "## Throughput\n");
        let _ = writeln!(
            out,
            "Ratios are documents per second ÷ serde_json parse-only on the file tree; \"same \
             input\" divides the NDJSON rows by parse-only on the NDJSON files instead.\n"
        );
        out.push_str(&self.table());
        let _ = writeln!(out, "\n## One small file (the pre-commit case)\n");
        out.push_str(&self.small_file_table());
        let _ = writeln!(out, "\n## Memory as the corpus grows 10×\n");
        match self.scale_table() {
            Some(table) => out.push_str(&table),
            None => {
                let _ = writeln!(
                    out,
                    "Not measured in this run: `cargo xtask bench --scale` runs the tree case at \
                     N and 10×N (it takes long)."
                );
            }
        }
        let _ = writeln!(out, "\n## What the numbers say\n");
        out.push_str(&self.reading());
        out
    }

    /// The targets of `../shared/ANCHORS.md`, against this run.
    fn reading(&self) -> String {
        let fmt = |ratio: Option<f64>| ratio.map_or("n/a".to_owned(), |r| format!("{r:.2}×"));
        let tree = self.ratio(VALIDATE_TREE);
        let ndjson_same = self
            .rate(VALIDATE_NDJSON)
            .zip(self.rate(PARSE_NDJSON))
            .map(|(rate, base)| rate / base);
        let scan = self.ratio(SCAN_TREE);
        let mut out = String::new();
        let target = |ratio: Option<f64>, goal: f64| match ratio {
            Some(ratio) if ratio >= goal => "met".to_owned(),
            Some(ratio) => format!("not met: {:.0}% short", (goal / ratio - 1.0) * 100.0),
            None => "not measured".to_owned(),
        };
        let _ = writeln!(
            out,
            "- **One thread: `actionlog validate` runs at {} parse-only on the file tree** \
             (target ≥ 2×: {}), and at {} of parse-only on the same NDJSON (target ≥ 2×: {}). \
             Scan-only (read and check syntax, build nothing) runs at {}: the physical limit.",
            fmt(tree),
            target(tree, 2.0),
            fmt(ndjson_same),
            target(ndjson_same, 2.0),
            fmt(scan),
        );
        let _ = writeln!(
            out,
            "- The fast path: the same run with `--full-path-only` (every document parsed to a \
             `Value`, validated by the jsonschema crate, walked, then read into its typed model) \
             runs at {}; the fast path makes one thread {} faster.",
            fmt(self.ratio(VALIDATE_TREE_FULL)),
            fmt(self
                .rate(VALIDATE_TREE)
                .zip(self.rate(VALIDATE_TREE_FULL))
                .map(|(fast, full)| fast / full)),
        );
        let threads = |all: &str, one: &str| self.rate(all).zip(self.rate(one)).map(|(a, o)| a / o);
        let tree_threads = threads(VALIDATE_TREE_ALL, VALIDATE_TREE);
        let ndjson_threads = threads(VALIDATE_NDJSON_ALL, VALIDATE_NDJSON);
        let _ = writeln!(
            out,
            "- All threads ({} here) against one: {} on the tree, {} on the NDJSON (target on 2 \
             cores ≥ 1.8× for both: {}; the reports are byte for byte the same, which `cargo test` \
             checks).",
            self.machine.cpus,
            fmt(tree_threads),
            fmt(ndjson_threads),
            target(
                tree_threads
                    .zip(ndjson_threads)
                    .map(|(tree, ndjson)| tree.min(ndjson)),
                1.8
            ),
        );
        let all = self.ratio(VALIDATE_TREE_ALL);
        let peers_installed: Vec<&Row> = self
            .rows
            .iter()
            .filter(|row| PEERS.contains(&row.case) && row.measured.is_some())
            .collect();
        let peer_text = if peers_installed.is_empty() {
            "none of jsonschema-cli, ajv-cli or check-jsonschema is installed here, so there is \
             no side-by-side run"
                .to_owned()
        } else {
            let measured: Vec<String> = peers_installed
                .iter()
                .map(|row| format!("{} {}", row.case, fmt(self.ratio(row.case))))
                .collect();
            format!("measured here: {}", measured.join(", "))
        };
        // actionlog on all threads over each peer: measured here when the
        // peer is installed, else against ANCHORS.md's ratio for it.
        let versus = |case: &str, anchor: f64, goal: f64| {
            let (peer, source) = match self.ratio(case) {
                Some(measured) => (measured, "measured here"),
                None => (anchor, "ANCHORS.md's ratio, not installed here"),
            };
            let times = all.map(|all| all / peer);
            format!(
                "{} {case} ({source}; target ≥ {goal}×: {})",
                times.map_or("n/a".to_owned(), |t| format!("{t:.1}×")),
                target(times, goal)
            )
        };
        let _ = writeln!(
            out,
            "- End to end on all threads against the peers ({peer_text}): actionlog runs at {} \
             and {}.",
            versus("ajv-cli + ajv-formats", 0.45, 6.0),
            versus("check-jsonschema", 0.038, 80.0),
        );
        let over = self.small.actionlog_ms - self.small.true_ms;
        let _ = writeln!(
            out,
            "- One small file: {over:.2} ms over a no-op process (target: within 3 ms; {}).",
            if over <= 3.0 { "met" } else { "not met" }
        );
        let memory = match &self.scale {
            Some(scale) => match (scale.peak_kib, scale.large.rss_kib) {
                (Some(small), Some(large)) if small > 0 => {
                    let growth = large as f64 / small as f64 - 1.0;
                    format!(
                        "peak RSS {} at N, {} at 10×N ({:+.0}%; target within ±20%: {}){}",
                        mebibytes(Some(small)),
                        mebibytes(Some(large)),
                        growth * 100.0,
                        if growth.abs() <= 0.2 {
                            "met"
                        } else {
                            "not met"
                        },
                        if growth > 0.2 {
                            ". Something is kept per file: look at the walk (input.rs) and \
                             the reporter"
                        } else {
                            ": the walk keeps only the names of one folder's entries, and the \
                             JSON report spools each document's entry to a temporary file"
                        }
                    )
                }
                _ => "peak RSS was not measured (no /usr/bin/time)".to_owned(),
            },
            None => "not measured in this run (`--scale`)".to_owned(),
        };
        let _ = writeln!(out, "- Memory at 10×: {memory}.");
        let rss = |case: &str| {
            self.rows
                .iter()
                .find(|row| row.case == case)
                .and_then(|row| row.measured)
                .and_then(|measured| measured.rss_kib)
        };
        if let (Some(validate), Some(parse)) = (rss(VALIDATE_NDJSON), rss(PARSE_NDJSON)) {
            let _ = writeln!(
                out,
                "- Memory on NDJSON: actionlog peaks at {} where parsing line by line needs {}; \
                 the largest NDJSON file is {}. {}",
                mebibytes(Some(validate)),
                mebibytes(Some(parse)),
                megabytes(self.corpus.largest_ndjson),
                if validate as f64 * 1024.0 > self.corpus.largest_ndjson as f64 / 2.0 {
                    "Peak memory follows the size of the largest file, where streaming it line by \
                     line keeps memory flat (ANCHORS.md: 2.8 MiB)."
                } else {
                    "NDJSON files are read a batch of lines at a time, never whole."
                }
            );
        }
        out
    }
}

/// The 1-minute load average, from `/proc/loadavg`.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "n/a".to_owned())
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    // Howard Hinnant's civil_from_days.
    let days = (seconds / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

// ---------------------------------------------------------------------------
// The baselines

/// `xtask bench-baseline parse|scan PATH…`: reads every `.json` file under
/// the paths (folders walked in sorted order) and every line of every
/// `.ndjson`/`.jsonl` file, and parses each document into a
/// `serde_json::Value` (`parse`) or only checks its syntax with
/// `serde::de::IgnoredAny` (`scan`), on one thread. Prints
/// `documents N bytes B not-json E`.
pub fn baseline(args: &[String]) -> Result<ExitCode> {
    let Some((mode, paths)) = args.split_first() else {
        bail!("usage: xtask bench-baseline parse|scan PATH...");
    };
    let parse: fn(&[u8]) -> bool = match mode.as_str() {
        "parse" => |bytes| serde_json::from_slice::<Value>(bytes).is_ok(),
        "scan" => |bytes| serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok(),
        other => bail!("unknown baseline `{other}`: parse or scan"),
    };
    ensure!(!paths.is_empty(), "bench-baseline {mode}: no paths");
    let mut counts = Counts::default();
    for path in paths {
        walk(Path::new(path), &mut |file| {
            read_documents(file, parse, &mut counts)
        })?;
    }
    println!(
        "documents {} bytes {} not-json {}",
        counts.documents, counts.bytes, counts.not_json
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Default)]
struct Counts {
    documents: u64,
    bytes: u64,
    not_json: u64,
}

/// Calls `visit` on every file under `path`, each folder's entries in
/// sorted order (what walkdir's `sort_by_file_name` gives).
fn walk(path: &Path, visit: &mut dyn FnMut(&Path) -> Result<()>) -> Result<()> {
    let metadata = fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if !metadata.is_dir() {
        return visit(path);
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .with_context(|| format!("reading {}", path.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        walk(&entry, visit)?;
    }
    Ok(())
}

fn read_documents(file: &Path, parse: fn(&[u8]) -> bool, counts: &mut Counts) -> Result<()> {
    let mut count = |bytes: &[u8]| {
        counts.documents += 1;
        counts.bytes += bytes.len() as u64;
        if !parse(bytes) {
            counts.not_json += 1;
        }
    };
    match file.extension().and_then(|extension| extension.to_str()) {
        Some("json") => {
            let bytes = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            count(&bytes);
        }
        Some("ndjson" | "jsonl") => {
            let mut reader = BufReader::with_capacity(
                64 * 1024,
                File::open(file).with_context(|| format!("reading {}", file.display()))?,
            );
            let mut line = Vec::new();
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line)? == 0 {
                    break;
                }
                if !line.iter().all(u8::is_ascii_whitespace) {
                    count(&line);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_deterministic_and_dealt_evenly() {
        let root = crate::repository_root().unwrap();
        let pools = Pools::load(&root).unwrap();
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        let a = generate(&pools, first.path(), 50, true).unwrap();
        let b = generate(&pools, second.path(), 50, true).unwrap();
        assert_eq!(a.per_contract, [10; 5]);
        assert_eq!(
            (a.tree_bytes, a.ndjson_bytes),
            (b.tree_bytes, b.ndjson_bytes)
        );
        assert_eq!(a.invalid_files, b.invalid_files);
        let read = |dir: &Path| fs::read(dir.join("ndjson/tines.action-events.ndjson")).unwrap();
        assert_eq!(read(first.path()), read(second.path()));
    }

    #[test]
    fn every_generator_survives_many_draws() {
        let pools = Pools::load(&crate::repository_root().unwrap()).unwrap();
        let mut rng = Rng(7);
        for serial in 0..1_000 {
            for invalid in [false, true] {
                auth0(&pools, &mut rng, serial, invalid);
                buddy(&pools, &mut rng, invalid);
                arklow(&pools, &mut rng, serial, invalid);
                tines(&pools, &mut rng, serial, invalid);
                stackone(&pools, &mut rng, invalid);
            }
        }
    }

    #[test]
    fn baselines_count_documents_in_files_and_lines() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("a")).unwrap();
        fs::write(dir.path().join("a/1.json"), "{\"x\": [1, 2]}").unwrap();
        fs::write(dir.path().join("a/2.json"), "{\"x\": ").unwrap();
        fs::write(dir.path().join("b.ndjson"), "{}\n\n[1]\n{\"y\": null}").unwrap();
        fs::write(dir.path().join("notes.txt"), "not a document").unwrap();
        for parse in [
            (|bytes: &[u8]| serde_json::from_slice::<Value>(bytes).is_ok()) as fn(&[u8]) -> bool,
            |bytes| serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok(),
        ] {
            let mut counts = Counts::default();
            walk(dir.path(), &mut |file| {
                read_documents(file, parse, &mut counts)
            })
            .unwrap();
            assert_eq!((counts.documents, counts.not_json), (5, 1));
        }
    }

    #[test]
    fn dates_and_numbers_read_well() {
        assert_eq!(grouped(1234567.4), "1,234,567");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(today().len(), 10);
    }
}
