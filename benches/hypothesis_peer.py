"""The hypothesis-jsonschema peer of toolcontract's generation benchmark.

    python hypothesis_peer.py SCHEMAS.json --rounds R --seconds S --keep K

Run by `cargo bench --bench compare` when TOOLCONTRACT_BENCH_PYTHON names a Python with
hypothesis-jsonschema 0.23.1 and hypothesis 6.140.0 (`benches/compare.sh` sets one up).

SCHEMAS.json is `[{"id": ..., "schema": ...}, ...]`. For each schema, values are drawn the way
hypothesis is meant to be used: one `@given(from_schema(schema))` test whose body receives one
value per example (generate phase only: no database, no shrinking, no deadline, health checks
off), with a `max_examples` it never reaches: the body ends the run by raising once the round's
time is up. A short warm-up run first resolves the schema; then `R` timed rounds of `S` seconds. One JSON line per
schema on stdout, the same protocol as `benches/fuzz-peer`:

    {"id": ..., "rounds": [[values, failures, seconds], ...], "sample": [first K values]}
    {"id": ..., "error": "why it cannot generate"}

`values` counts the examples the test body received; `seconds` is the wall time of the whole
test run (hypothesis's per-example machinery is part of drawing a value). The sample is judged by
the bench's own `jsonschema` oracle, so every column of the table uses one oracle.
"""

import argparse
import json
import sys
import time
import warnings

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis_jsonschema import from_schema

WARM_UP_SECONDS = 0.2


class RoundOver(Exception):
    """Raised by the test body once the round's time is up: ends the @given run."""


def run_once(strategy, seconds, sink):
    """Runs one @given test for about `seconds`; returns (values, seconds)."""
    count = [0]
    deadline = [0.0]

    @settings(
        max_examples=10_000_000,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
        report_multiple_bugs=False,
    )
    @given(strategy)
    def draw(value):
        if time.perf_counter() >= deadline[0]:
            raise RoundOver
        count[0] += 1
        if sink is not None:
            sink(value)

    started = time.perf_counter()
    deadline[0] = started + seconds
    try:
        draw()
    except RoundOver:
        pass
    return count[0], time.perf_counter() - started


def run(schema, rounds, seconds, keep):
    try:
        strategy = from_schema(schema)
        values, _ = run_once(strategy, WARM_UP_SECONDS, None)
    except Exception as error:  # noqa: BLE001 - any refusal is "cannot generate"
        return {"error": f"{type(error).__name__}: {error}".splitlines()[0][:300]}
    if values == 0:
        return {"error": "no example reached the test body in the warm-up"}
    sample = []

    def sink(value):
        if len(sample) < keep:
            sample.append(value)

    results = []
    for _ in range(rounds):
        try:
            values, elapsed = run_once(strategy, seconds, sink)
        except Exception as error:  # noqa: BLE001 - a failure mid-run: no values this round
            return {"error": f"{type(error).__name__} after warm-up: {error}"[:300]}
        results.append([values, 0, elapsed])
    return {"rounds": results, "sample": sample}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("schemas")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=0.7)
    parser.add_argument("--keep", type=int, default=1000)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with open(args.schemas, encoding="utf-8") as f:
        schemas = json.load(f)
    for entry in schemas:
        line = {"id": entry["id"]}
        line.update(run(entry["schema"], args.rounds, args.seconds, args.keep))
        sys.stdout.write(json.dumps(line, ensure_ascii=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
