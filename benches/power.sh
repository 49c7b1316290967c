#!/usr/bin/env bash
# The power benchmark, in one command:
#
#     benches/power.sh
#
# How many cases toolcontract's check and Hypothesis (driven by hypothesis-jsonschema) need
# before they first hit each of nine input-dependent bugs, median over 20 seeds
# (benches/power/main.rs says how each side is counted). Counts, not times: the machine's load
# does not change them. Sets up the same pinned Python peer as benches/compare.sh
# (target/bench-venv, benches/peer-requirements.txt), then runs `cargo bench --bench power`,
# which prints the table (machine line first) and writes it to target/bench-power.md.
# `TOOLCONTRACT_POWER_CAP` (default 1000) is how far past the defaults each side looks.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
venv=$root/target/bench-venv
requirements=$root/benches/peer-requirements.txt

log() { printf 'power.sh: %s\n' "$*" >&2; }

python=${PYTHON:-python3}
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    log "creating $venv"
    "$python" -m venv "$venv"
fi
if ! diff -q <("$venv/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null | sort) \
        <(grep -v '^#' "$requirements" | sort) >/dev/null; then
    log "installing $(grep -c '==' "$requirements") pinned packages from PyPI into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
fi

log "building (release)"
cargo bench --quiet --bench power --no-run
TOOLCONTRACT_BENCH_PYTHON=$venv/bin/python cargo bench --quiet --bench power
