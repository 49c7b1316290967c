//! Generation, side by side: values per second and the share of values the `jsonschema` crate
//! accepts (formats asserted), per schema of the fixed set and per generator.
//!
//! - toolcontract: `SchemaGenerator::new(schema)?.strategy()`, then per value a fresh runner
//!   seeded with the value's case seed (as the check runner does: `case_seed`, then
//!   `case_runner`), `new_tree`, `current`.
//! - `json_schema_fuzz` 0.5.0: `ValueGenerator::generate` with one seeded RNG, run by the
//!   `benches/fuzz-peer` package (a separate build: see its Cargo.toml for why).
//! - hypothesis-jsonschema 0.23.1 (hypothesis 6.140.0): `benches/hypothesis_peer.py`, run with
//!   `TOOLCONTRACT_BENCH_PYTHON` (`benches/compare.sh` sets up the virtual environment).
//!
//! Every generator gets a warm-up, then `generation_rounds` timed rounds; the table shows the
//! median rate. Only drawing values is timed (compiling the schema is not). The first
//! `sample` values of each generator are judged here, by one oracle for all columns: a
//! `jsonschema` validator built with `should_validate_formats(true)`, as in
//! `tests/generator_conformance.rs`. The peers hand their values over as JSON text, read here
//! with serde_json (without `arbitrary_precision`: a number beyond f64 would be rounded).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::strategy::{Just, Strategy, ValueTree};
use serde_json::{Value, json};
use toolcontract::SchemaGenerator;
use toolcontract::runner::{DEFAULT_SEED, case_seed};

use crate::schemas::{self, Entry};
use crate::util::{self, Settings, note, rate, test_runner};

/// Values drawn before timing.
const WARM_UP: u32 = 20;

/// The target: toolcontract at least this many times as fast as hypothesis-jsonschema on
/// every schema both can generate for.
const TARGET_RATIO: f64 = 100.0;

/// What one generator did on one schema.
#[derive(Debug)]
struct Measured {
    /// Per timed round: values, failures (draws that gave up), seconds.
    rounds: Vec<(u64, u64, f64)>,
    /// The first values drawn in the timed rounds.
    sample: Vec<Value>,
}

impl Measured {
    fn rate(&self) -> f64 {
        util::median(
            self.rounds
                .iter()
                .map(|&(values, _, seconds)| values as f64 / seconds.max(1e-9))
                .collect(),
        )
    }

    fn failures(&self) -> u64 {
        self.rounds.iter().map(|r| r.1).sum()
    }

    fn values(&self) -> u64 {
        self.rounds.iter().map(|r| r.0).sum()
    }
}

/// `Ok`: measured; `Err`: cannot generate, and why.
type Column = BTreeMap<&'static str, Result<Measured, String>>;

fn toolcontract(id: &str, schema: &Value, settings: &Settings) -> Result<Measured, String> {
    let generator = SchemaGenerator::new(schema).map_err(|e| e.to_string())?;
    let strategy = generator.strategy();
    let mut index = 0u32;
    let mut draw = || {
        let seed = case_seed(DEFAULT_SEED, id, index);
        index = index.wrapping_add(1);
        strategy
            .new_tree(&mut test_runner(seed))
            .map(|tree| tree.current())
    };
    for _ in 0..WARM_UP {
        let _ = draw();
    }
    let budget = Duration::from_secs_f64(settings.generation_seconds);
    let mut rounds = Vec::new();
    let mut sample = Vec::with_capacity(settings.sample);
    for _ in 0..settings.generation_rounds {
        let (mut values, mut failures) = (0, 0);
        let started = Instant::now();
        loop {
            match draw() {
                Ok(value) => {
                    values += 1;
                    if sample.len() < settings.sample {
                        sample.push(value);
                    }
                }
                Err(_) => failures += 1,
            }
            if started.elapsed() >= budget {
                break;
            }
        }
        rounds.push((values, failures, started.elapsed().as_secs_f64()));
    }
    Ok(Measured { rounds, sample })
}

/// Values per second of a constant strategy drawn like `toolcontract` above: the cost of the
/// case seed and the fresh runner alone.
fn fixed_cost(settings: &Settings) -> f64 {
    let strategy = Just(Value::Null).sboxed();
    let budget = Duration::from_secs_f64(settings.generation_seconds);
    let mut rates = Vec::new();
    let mut index = 0u32;
    for _ in 0..settings.generation_rounds {
        let started = Instant::now();
        let mut values = 0u64;
        while started.elapsed() < budget {
            let seed = case_seed(DEFAULT_SEED, "constant", index);
            index = index.wrapping_add(1);
            let tree = strategy
                .new_tree(&mut test_runner(seed))
                .expect("a constant");
            std::hint::black_box(tree.current());
            values += 1;
        }
        rates.push(values as f64 / started.elapsed().as_secs_f64());
    }
    util::median(rates)
}

/// Runs a peer on `schemas_file` and reads its JSON lines; every schema it does not answer
/// for (it crashed or ran out of time) gets the reason.
fn peer(
    name: &str,
    command: &mut Command,
    set: &[(Entry, Value)],
    limit: Duration,
) -> Result<Column, String> {
    note(&format!("{name}: {command:?}"));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let started = Instant::now();
    let mut timed_out = false;
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            timed_out = true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let lines = reader.join().expect("the reader thread");
    let mut column = Column::new();
    for line in lines {
        let answer: Value =
            serde_json::from_str(&line).map_err(|e| format!("{name} wrote `{line}`: {e}"))?;
        let Some(entry) = set.iter().find(|(e, _)| answer["id"] == e.id) else {
            continue;
        };
        let result = if let Some(error) = answer["error"].as_str() {
            Err(error.to_owned())
        } else {
            let rounds = answer["rounds"]
                .as_array()
                .map(|rounds| {
                    rounds
                        .iter()
                        .map(|r| {
                            (
                                r[0].as_u64().unwrap_or(0),
                                r[1].as_u64().unwrap_or(0),
                                r[2].as_f64().unwrap_or(f64::INFINITY),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let sample = answer["sample"].as_array().cloned().unwrap_or_default();
            Ok(Measured { rounds, sample })
        };
        column.insert(entry.0.id, result);
    }
    for (entry, _) in set {
        column.entry(entry.id).or_insert_with(|| {
            Err(if timed_out {
                format!("{name} ran out of time ({} s)", limit.as_secs())
            } else {
                format!("{name} gave no answer")
            })
        });
    }
    Ok(column)
}

fn fuzz_peer(set: &[(Entry, Value)], file: &Path, settings: &Settings) -> Result<Column, String> {
    let manifest = util::manifest_dir().join("benches/fuzz-peer/Cargo.toml");
    let target = util::target_dir().join("bench-peer");
    note("building benches/fuzz-peer (json_schema_fuzz 0.5.0)");
    let status = util::cargo()
        .args(["build", "--quiet", "--release", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building benches/fuzz-peer failed".to_owned());
    }
    let per_schema = settings.generation_seconds * settings.generation_rounds as f64 + 10.0;
    peer(
        "json_schema_fuzz",
        Command::new(target.join("release/fuzz-peer"))
            .arg(file)
            .args(peer_args(settings, settings.generation_seconds)),
        set,
        Duration::from_secs_f64(per_schema * set.len() as f64 + 30.0),
    )
}

fn hypothesis_peer(
    python: &str,
    set: &[(Entry, Value)],
    file: &Path,
    settings: &Settings,
) -> Result<Column, String> {
    let script = util::manifest_dir().join("benches/hypothesis_peer.py");
    // Hypothesis keeps a `.hypothesis` directory in the working directory.
    let cwd = util::target_dir().join("bench-hypothesis");
    std::fs::create_dir_all(&cwd).map_err(|e| e.to_string())?;
    let per_schema = settings.hypothesis_seconds * settings.generation_rounds as f64 + 30.0;
    peer(
        "hypothesis-jsonschema",
        Command::new(python)
            .current_dir(&cwd)
            .arg(script)
            .arg(file)
            .args(peer_args(settings, settings.hypothesis_seconds)),
        set,
        Duration::from_secs_f64(per_schema * set.len() as f64 + 60.0),
    )
}

fn peer_args(settings: &Settings, seconds: f64) -> Vec<String> {
    vec![
        "--rounds".to_owned(),
        settings.generation_rounds.to_string(),
        "--seconds".to_owned(),
        seconds.to_string(),
        "--keep".to_owned(),
        settings.sample.to_string(),
    ]
}

/// The oracle of every column.
fn oracle(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// One table cell pair: rate and validity.
fn cells(result: &Result<Measured, String>, oracle: Option<&jsonschema::Validator>) -> [String; 2] {
    match result {
        Err(why) => [
            format!("cannot generate: {}", one_line(why)),
            "—".to_owned(),
        ],
        Ok(m) if m.values() == 0 => [
            format!("no value in {} draws", m.failures()),
            "—".to_owned(),
        ],
        Ok(m) => {
            let mut speed = rate(m.rate());
            if m.failures() > 0 {
                speed.push_str(&format!(
                    " ({} of {} draws gave up)",
                    util::thousands(m.failures() as f64),
                    util::thousands((m.failures() + m.values()) as f64)
                ));
            }
            let validity = match oracle {
                None => "no oracle".to_owned(),
                Some(oracle) => {
                    let valid = m.sample.iter().filter(|v| oracle.is_valid(v)).count();
                    let share = 100.0 * valid as f64 / m.sample.len().max(1) as f64;
                    if valid == m.sample.len() {
                        format!("100% of {}", m.sample.len())
                    } else {
                        format!("{share:.1}% of {}", m.sample.len())
                    }
                }
            };
            [speed, validity]
        }
    }
}

fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().replace('|', "\\|");
    if line.chars().count() > 90 {
        format!("{}…", line.chars().take(90).collect::<String>())
    } else {
        line
    }
}

/// Runs the section; returns its markdown.
pub(crate) fn run(settings: &Settings, python: Option<&str>) -> String {
    let set = schemas::load(&util::data_dir());
    let file = util::target_dir().join("bench-schemas.json");
    let listing: Vec<Value> = set
        .iter()
        .map(|(entry, schema)| json!({"id": entry.id, "schema": schema}))
        .collect();
    std::fs::write(&file, serde_json::to_vec_pretty(&listing).expect("JSON")).expect("write");

    let mut ours = Column::new();
    for (entry, schema) in &set {
        note(&format!("toolcontract: {}", entry.id));
        ours.insert(entry.id, toolcontract(entry.id, schema, settings));
    }
    note("toolcontract: the fixed cost of a fresh runner per value");
    let fixed = fixed_cost(settings);
    let fuzz = fuzz_peer(&set, &file, settings);
    let hypothesis = python.map(|python| hypothesis_peer(python, &set, &file, settings));

    let mut out = String::new();
    out.push_str(&format!(
        "### Generation: values per second (median of {} rounds of {} s; hypothesis: {} s)\n\n",
        settings.generation_rounds, settings.generation_seconds, settings.hypothesis_seconds
    ));
    out.push_str(
        "| schema | source (`tests/data/shared/tool-corpus/…`, or `…/json-schema-test-suite/tests/\
         draft2020-12/…`) | toolcontract | valid | json_schema_fuzz | valid | \
         hypothesis-jsonschema | valid | toolcontract / hypothesis |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut ratios = Vec::new();
    for (entry, schema) in &set {
        let oracle = oracle(schema);
        let oracle = oracle.as_ref().ok();
        let mine = &ours[entry.id];
        let [our_rate, our_valid] = cells(mine, oracle);
        let [fuzz_rate, fuzz_valid] = match &fuzz {
            Ok(column) => cells(&column[entry.id], oracle),
            Err(why) => [format!("not run: {why}"), "—".to_owned()],
        };
        let (hyp_rate, hyp_valid, ratio) = match &hypothesis {
            None => ("not run".to_owned(), "—".to_owned(), "—".to_owned()),
            Some(Err(why)) => (format!("not run: {why}"), "—".to_owned(), "—".to_owned()),
            Some(Ok(column)) => {
                let theirs = &column[entry.id];
                let [r, v] = cells(theirs, oracle);
                let ratio = match (mine, theirs) {
                    (Ok(a), Ok(b)) if a.values() > 0 && b.values() > 0 => {
                        let ratio = a.rate() / b.rate();
                        ratios.push((entry.id, ratio));
                        format!("{}x", rate(ratio))
                    }
                    _ => "—".to_owned(),
                };
                (r, v, ratio)
            }
        };
        out.push_str(&format!(
            "| {} | {} | {our_rate} | {our_valid} | {fuzz_rate} | {fuzz_valid} | {hyp_rate} | \
             {hyp_valid} | {ratio} |\n",
            entry.id,
            schemas::source(entry),
        ));
    }
    out.push('\n');
    out.push_str(&format!(
        "toolcontract draws every value with a fresh runner seeded from the case seed, as `check` \
         does; a constant strategy drawn that way runs at {} values/s (the fixed cost per value). \
         valid: share of the first values drawn (at most {}) that the `jsonschema` crate accepts, \
         formats asserted.\n\n",
        rate(fixed),
        settings.sample
    ));
    if let Some((id, worst)) = ratios.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)) {
        let below: Vec<&str> = ratios
            .iter()
            .filter(|(_, r)| *r < TARGET_RATIO)
            .map(|(id, _)| *id)
            .collect();
        out.push_str(&format!(
            "Target: toolcontract ≥ {TARGET_RATIO:.0}x hypothesis-jsonschema on every schema both \
             generate for ({} schemas): {}; lowest {}x ({id}){}.\n\n",
            ratios.len(),
            util::met(below.is_empty()),
            rate(worst),
            if below.is_empty() {
                String::new()
            } else {
                format!("; below target: {}", below.join(", "))
            }
        ));
    }
    out
}
