#!/usr/bin/env bash
# Installs cargo-insta (pinned, the version of the insta crate this project reads snapshots
# with) into `.tools/` at the root of the repository, for the test that runs `cargo insta
# review` on the files the library writes (tests/snapshot_review.rs). Needs crates.io.
# Idempotent: a second run finds the same version installed and changes nothing.
set -euo pipefail

CARGO_INSTA_VERSION="1.49.0"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$repo/.tools"

if [ -x "$root/bin/cargo-insta" ] \
    && "$root/bin/cargo-insta" --version 2>/dev/null | grep -q " $CARGO_INSTA_VERSION\$"; then
    echo "setup-cargo-insta: cargo-insta $CARGO_INSTA_VERSION already in $root/bin"
    exit 0
fi
cargo install --quiet --locked --root "$root" cargo-insta --version "$CARGO_INSTA_VERSION"
echo "setup-cargo-insta: $("$root/bin/cargo-insta" --version) in $root/bin"
