#!/usr/bin/env bash
# toolcontract side by side, in one command:
#
#     benches/compare.sh [SECTION...]        # sections: generation in-process runtime-api memory
#
# 1. sets up the Python peer in target/bench-venv (idempotent: created once, then only checked):
#    hypothesis-jsonschema 0.23.1 with hypothesis 6.140.0 (later hypothesis releases break it) and
#    the rest pinned in benches/peer-requirements.txt, from PyPI;
# 2. builds, in release (Cargo's `bench` profile: release plus line tables), the `toolcontract`
#    binary, the bench, the example handlers (`calculator`, `rt_echo`) and the json_schema_fuzz
#    peer (benches/fuzz-peer, a package of its own: see its Cargo.toml);
# 3. runs `cargo bench --bench compare` with TOOLCONTRACT_BENCH_PYTHON pointing at the venv, which
#    prints the tables (machine line first) and writes them to target/bench-table.md.
#
# Every figure comes from this one run. About 6 minutes on 2 cores. The Rust side alone, without
# Python: `cargo bench --bench compare`. `TOOLCONTRACT_BENCH_QUICK=1` shortens every measurement
# (to try it out; those figures are not for publishing).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
venv=$root/target/bench-venv
requirements=$root/benches/peer-requirements.txt

log() { printf 'compare.sh: %s\n' "$*" >&2; }

# 1. The Python peer.
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
# (Importing hypothesis writes a .hypothesis cache into the working directory: not the repo's.)
mkdir -p target/bench-hypothesis
(cd target/bench-hypothesis && "$venv/bin/python" -c 'import hypothesis_jsonschema')

# 2. Builds (the bench builds the examples and the fuzz peer itself too; done here first so
#    that no build runs while anything is being measured).
log "building (release)"
cargo build --quiet --profile bench --features cli --bin toolcontract --example calculator --example rt_echo
cargo build --quiet --release --manifest-path benches/fuzz-peer/Cargo.toml \
    --target-dir target/bench-peer
cargo bench --quiet --features process --bench compare --no-run

# 3. Everything, one run.
TOOLCONTRACT_BENCH_PYTHON=$venv/bin/python cargo bench --quiet --features process --bench compare -- "$@"
