"""The Hypothesis side of toolcontract's power benchmark (`cargo bench --bench power`).

    python power_peer.py BUGS.json --seeds N --cap C

BUGS.json is `[{"id": ..., "schema": ...}, ...]`, the bugs of benches/power/bugs.rs; each id
names a predicate below, the same predicate as the Rust one of that id. For every bug and every
seed 0..N-1, one `@given(from_schema(schema))` test runs under `@seed(seed)` with
`max_examples=C`, generate phase only (no database, so no reuse phase; no shrinking; no
deadline; health checks off). Its body counts its calls and raises on the first value that hits
the bug. The count is the number of calls of the test function up to and including that one:
the examples Hypothesis generated before finding the bug (the replay Hypothesis makes of a
failing example to report it comes after, and is not counted). A bug not hit within C calls, or
before Hypothesis ran out of distinct examples, counts as null. One JSON line per bug on stdout:

    {"id": ..., "counts": [n or null, one per seed]}
"""

import argparse
import json
import math
import sys
import warnings

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis_jsonschema import from_schema

NON_ASCII_INDEX = 2  # NON_ASCII_INDEX in benches/power/bugs.rs
LONG_STRING = 100  # LONG_STRING in benches/power/bugs.rs


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def beyond_32_bits(x):
    if isinstance(x, bool) or not is_number(x):
        return False
    return abs(x) > 2**31 - 1 if isinstance(x, float) else not (-(2**31) <= x <= 2**31 - 1)


PREDICATES = {
    "zero_divisor": lambda a: is_number(a.get("b")) and a["b"] == 0,
    "empty_string": lambda a: a.get("name") == "",
    "enum_member": lambda a: a.get("unit") == "km",
    "non_ascii_at": lambda a: isinstance(a.get("text"), str)
    and len(a["text"]) > NON_ASCII_INDEX
    and ord(a["text"][NON_ASCII_INDEX]) > 127,
    "empty_array": lambda a: a.get("tags") == [],
    "absent_optional": lambda a: "limit" not in a,
    "non_integral": lambda a: isinstance(a.get("amount"), float)
    and math.isfinite(a["amount"])
    and not a["amount"].is_integer(),
    "long_string": lambda a: isinstance(a.get("note"), str) and len(a["note"]) > LONG_STRING,
    "beyond_32_bits": lambda a: beyond_32_bits(a.get("id")),
}


class Hit(Exception):
    """Raised by the test body on the first value that hits the bug."""


def count_until_hit(strategy, hits, seed, cap):
    calls = [0]
    found = [None]

    @hypothesis.seed(seed)
    @settings(
        max_examples=cap,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
        report_multiple_bugs=False,
    )
    @given(strategy)
    def test(value):
        if found[0] is not None:
            raise Hit  # Hypothesis replaying the failing example: not counted
        calls[0] += 1
        if hits(value):
            found[0] = calls[0]
            raise Hit

    try:
        test()
    except Hit:
        pass
    return found[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bugs")
    parser.add_argument("--seeds", type=int, required=True)
    parser.add_argument("--cap", type=int, required=True)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with open(args.bugs, encoding="utf-8") as f:
        bugs = json.load(f)
    for bug in bugs:
        hits = PREDICATES[bug["id"]]
        strategy = from_schema(bug["schema"])
        counts = [count_until_hit(strategy, hits, s, args.cap) for s in range(args.seeds)]
        print(json.dumps({"id": bug["id"], "counts": counts}), flush=True)
        print(f"power_peer.py: {bug['id']}: {counts}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
