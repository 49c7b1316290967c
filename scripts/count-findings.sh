#!/usr/bin/env bash
# Counts findings by check and severity: the bundled examples with their handlers, and every
# Gateway definition of the tool corpus against `examples/plain_dicts` (a handler written as
# AWS's samples are: plain dicts, any name answered). Used to compare verdicts across versions:
#
#   cargo build --examples
#   scripts/count-findings.sh target/debug/toolcontract
#
# A report without severities (before they existed) counts every finding as an error.
# Grouped findings count once per subject.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: scripts/count-findings.sh TOOLCONTRACT_BINARY [CASES]}
cases=${2:-32}
ex=target/debug/examples
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
run() { # label definition [flags...] -- handler...
    n=$((n + 1))
    shift
    "$bin" check --cases "$cases" --format json --output "$out/$n.json" "$@" >/dev/null 2>"$out/$n.err"
}
run calculator examples/calculator/tools.json -- "$ex/calculator"
run tool_name_from_event examples/calculator/tools.json -- "$ex/tool_name_from_event"
run plain_dicts examples/calculator/tools.json -- "$ex/plain_dicts"
run shell examples/shell/tools.json -- examples/shell/handler.sh
run agents_bookings examples/agents_bookings/action-group.json -- "$ex/agents_bookings"
run agents_fixed examples/agents_bookings/action-group.json -- "$ex/agents_fixed_action_group"
run agents_claims examples/agents_claims/openapi.yaml --action-group ClaimsActionGroup -- "$ex/agents_claims"
run agents_substituted examples/agents_claims/openapi.yaml --action-group ClaimsActionGroup -- "$ex/agents_substituted_api_path"
examples=$n
for definition in tests/data/shared/tool-corpus/gateway/*.json; do
    run corpus "$definition" -- "$ex/plain_dicts"
done
python3 - "$out" "$examples" "$n" <<'PY'
import json, sys, collections, pathlib
out, examples, total = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def tally(ids):
    counts, runs = collections.Counter(), 0
    for i in ids:
        path = out / f"{i}.json"
        if not path.exists():
            continue
        runs += 1
        for f in json.loads(path.read_text())["findings"]:
            subjects = 1 + len(f.get("also", []))
            counts[(f["check"], f.get("severity", "error"))] += subjects
    return runs, counts
for name, ids in [("bundled examples", range(1, examples + 1)), ("tool corpus (gateway) x plain_dicts", range(examples + 1, total + 1))]:
    runs, counts = tally(ids)
    print(f"{name}: {runs} runs")
    for (check, severity), count in sorted(counts.items()):
        print(f"  {check:28} {severity:8} {count}")
PY
