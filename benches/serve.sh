#!/usr/bin/env bash
# What `toolcontract serve` adds to a call, in one command:
#
#     benches/serve.sh
#
# builds, in release (Cargo's `bench` profile), the `toolcontract` binary, the bench and the
# `calculator` example, then runs `cargo bench --features cli --bench serve`: sequential
# `tools/call`s through `toolcontract serve` (an MCP client over streamable HTTP) against the same
# handler through `check`'s Runtime API loop, alternating. Prints the machine line and the table
# (see benches/serve.rs). About a minute. `TOOLCONTRACT_BENCH_QUICK=1` shortens it (to try it
# out; those figures are not for publishing).
set -euo pipefail

cd "$(dirname "$0")/.."
echo "serve.sh: building (release)" >&2
cargo build --quiet --profile bench --features cli --bin toolcontract --example calculator
cargo bench --quiet --features cli --bench serve --no-run
cargo bench --quiet --features cli --bench serve
