#!/usr/bin/env bash
# Creates `.venv` at the root of the repository with the AWS Lambda runtime interface client for
# Python (`awslambdaric`, pinned), so that `python -m awslambdaric module.handler` can run a
# Python handler against toolcontract's Runtime API (tests/runtime_api_python.rs).
# Also the MCP Python SDK (`mcp`, pinned), the client of the `toolcontract serve` tests.
#
# Needs: python3 >= 3.10 with the `venv` module (on Debian/Ubuntu the `python3-venv` package,
# installed here with apt-get when missing), and access to PyPI. awslambdaric is installed from
# its manylinux wheel only (`--only-binary`): building it from source would need a C++ tool chain,
# cmake and libcurl headers. Idempotent: running it again changes nothing.
set -euo pipefail

AWSLAMBDARIC_VERSION="4.2.2"
SIMPLEJSON_VERSION="4.3.0"
SNAPSHOT_RESTORE_PY_VERSION="1.0.0"
# The official MCP Python SDK: its client drives `toolcontract serve` in tests/serve.rs.
MCP_VERSION="2.3.0"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.venv"
python="${PYTHON:-python3}"

if ! command -v "$python" >/dev/null 2>&1; then
    echo "setup-python: $python not found; install Python 3.10 or later" >&2
    exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "setup-python: awslambdaric $AWSLAMBDARIC_VERSION needs Python 3.10 or later;" \
        "$("$python" --version) found" >&2
    exit 1
fi

# The venv module and ensurepip (Debian and Ubuntu split them into python3-venv).
if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "setup-python: $python lacks the venv module and apt-get is not available" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    minor="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv "python$minor-venv" \
        || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv
fi

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    "awslambdaric==$AWSLAMBDARIC_VERSION" \
    "simplejson==$SIMPLEJSON_VERSION" \
    "snapshot-restore-py==$SNAPSHOT_RESTORE_PY_VERSION"
# The MCP SDK and its dependencies (pydantic, httpx, anyio, ...) all ship wheels.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    "mcp==$MCP_VERSION"

# The native client (runtime_client) must load: it is what talks to the Runtime API.
"$venv/bin/python" -c 'import awslambdaric, runtime_client, mcp' \
    || { echo "setup-python: awslambdaric is installed but does not load" >&2; exit 1; }
echo "setup-python: $("$venv/bin/python" --version), awslambdaric $AWSLAMBDARIC_VERSION," \
    "mcp $MCP_VERSION in $venv"
