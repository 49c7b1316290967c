//! The `json_schema_fuzz` peer of toolcontract's generation benchmark.
//!
//! ```text
//! fuzz-peer SCHEMAS.json --rounds R --seconds S --keep K
//! ```
//!
//! `SCHEMAS.json` is `[{"id": ..., "schema": ...}, ...]`. For each schema: build the
//! `SchemaDocument` once, warm up, then draw values with `ValueGenerator::generate` for `R`
//! rounds of `S` seconds each (one seeded RNG for the whole run, as the crate's README does with
//! one `rand::rng()`). Only the `generate` calls are timed. One JSON line per schema on stdout,
//! the same protocol as `benches/hypothesis_peer.py`:
//!
//! ```text
//! {"id": ..., "rounds": [[values, failures, seconds], ...], "sample": [first K values]}
//! {"id": ..., "error": "why it cannot generate"}
//! ```
//!
//! The bench judges the sample with its own `jsonschema` oracle, so every column of the table
//! uses one oracle.

#![allow(clippy::print_stdout)] // the protocol is stdout

use std::time::{Duration, Instant};

use json_schema_ast::SchemaDocument;
use json_schema_fuzz::{GenerateError, GenerationConfig, ValueGenerator};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

/// Values drawn before timing (the document builds its canonical graph lazily).
const WARM_UP: usize = 20;

struct Args {
    schemas: String,
    rounds: usize,
    seconds: f64,
    keep: usize,
}

fn args() -> Args {
    let mut args = Args {
        schemas: String::new(),
        rounds: 3,
        seconds: 0.5,
        keep: 1000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().expect("a value after the flag");
        match arg.as_str() {
            "--rounds" => args.rounds = value().parse().expect("--rounds N"),
            "--seconds" => args.seconds = value().parse().expect("--seconds S"),
            "--keep" => args.keep = value().parse().expect("--keep K"),
            _ => args.schemas = arg,
        }
    }
    assert!(!args.schemas.is_empty(), "usage: fuzz-peer SCHEMAS.json");
    args
}

fn main() {
    let args = args();
    let text = std::fs::read_to_string(&args.schemas).expect("the schemas file");
    let schemas: Vec<Value> = serde_json::from_str(&text).expect("a JSON array");
    let mut rng = StdRng::seed_from_u64(0x7c0d_e5ee_d000_0001);
    for entry in schemas {
        let id = entry["id"].clone();
        let line = match run(&entry["schema"], &args, &mut rng) {
            Ok((rounds, sample)) => json!({"id": id, "rounds": rounds, "sample": sample}),
            Err(error) => json!({"id": id, "error": error}),
        };
        println!("{line}");
    }
}

type Rounds = Vec<(u64, u64, f64)>;

fn run(schema: &Value, args: &Args, rng: &mut StdRng) -> Result<(Rounds, Vec<Value>), String> {
    let document = SchemaDocument::from_json(schema).map_err(|e| format!("schema: {e}"))?;
    let config = GenerationConfig::default();
    let mut last_error = None;
    let mut warmed = 0;
    for _ in 0..WARM_UP {
        match ValueGenerator::generate(&document, config, rng) {
            Ok(_) => warmed += 1,
            Err(e @ GenerateError::ExhaustedAttempts { .. }) => last_error = Some(e.to_string()),
            Err(e) => return Err(e.to_string()),
        }
    }
    if warmed == 0 {
        return Err(format!(
            "no value in {WARM_UP} tries: {}",
            last_error.unwrap_or_default()
        ));
    }
    let budget = Duration::from_secs_f64(args.seconds);
    let mut rounds = Vec::new();
    let mut sample = Vec::new();
    for _ in 0..args.rounds {
        let (mut values, mut failures) = (0u64, 0u64);
        let started = Instant::now();
        loop {
            match ValueGenerator::generate(&document, config, rng) {
                Ok(value) => {
                    values += 1;
                    if sample.len() < args.keep {
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
    Ok((rounds, sample))
}
