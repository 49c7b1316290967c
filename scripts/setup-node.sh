#!/usr/bin/env bash
# Installs the AWS Lambda runtime interface client for Node.js (`aws-lambda-ric`, pinned in
# examples/node/package.json and package-lock.json) into examples/node/node_modules with
# `npm ci`, so that `node_modules/.bin/aws-lambda-ric module.handler` can run a Node.js handler
# against toolcontract's Runtime API (tests/runtime_api_python.rs, module `node`).
# Also the MCP TypeScript SDK (`@modelcontextprotocol/sdk`, pinned in tests/serve_clients/
# package.json and package-lock.json) into tests/serve_clients/node_modules with `npm ci`: the
# client of tests/serve_clients/mcp_client.mjs, which drives `toolcontract serve` in
# tests/cli/serve.rs. Plain JavaScript, no build (a few seconds).
#
# Needs: Node.js 16, 18 or 20 (what aws-lambda-ric 3.3.0 supports; 4.x needs Node 22) with npm,
# and access to the npm registry. aws-lambda-ric has no prebuilt binary: its install scripts
# build curl 7.83.1 (autoreconf, configure) and aws-lambda-cpp 0.2.8 (cmake) from the tarballs
# in the package, then its native addon with node-gyp (python3, make, g++). The Debian packages
# for missing tools are installed here with apt-get (libcurl headers are NOT needed: curl is
# vendored and linked statically). node-gyp uses the headers of the installed Node.js
# (<prefix>/include/node) when they are there, instead of downloading them from nodejs.org.
# A fresh install takes about 4 minutes on 2 cores (the C and C++ builds).
#
# Idempotent: when node_modules was installed from the same package-lock.json by the same Node.js
# and the native client loads (and the SDK loads), running it again changes nothing (well under a
# second).
set -euo pipefail

AWS_LAMBDA_RIC_VERSION="3.3.0"
# The official MCP TypeScript SDK (its engines: Node.js 18 or later).
MCP_SDK_VERSION="1.32.2"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$repo/examples/node"
modules="$dir/node_modules"
stamp="$modules/.toolcontract-setup"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "setup-node: $tool not found; install Node.js 16, 18 or 20 with npm" >&2
        exit 1
    fi
done
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 16 ]; then
    echo "setup-node: aws-lambda-ric $AWS_LAMBDA_RIC_VERSION needs Node.js 16 or later;" \
        "$(node --version) found" >&2
    exit 1
fi

# What the client loads: the native Runtime API client (it reads AWS_LAMBDA_RUNTIME_API when it
# is loaded, and aborts without it), the JavaScript entry point, and the `aws-lambda-ric` command.
loads() {
    [ -x "$modules/.bin/aws-lambda-ric" ] && [ -f "$modules/aws-lambda-ric/dist/index.mjs" ] \
        && AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 node -e '
            const c = require(process.argv[1]);
            for (const f of ["next", "done", "error"]) {
                if (typeof c[f] !== "function") throw new Error("rapid-client.node lacks " + f);
            }' "$modules/aws-lambda-ric/dist/rapid-client.node"
}

# The install's identity: the lock file and the Node.js ABI the addon was built for.
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1) node-abi-$(node -p process.versions.modules)"

# The MCP TypeScript SDK for the serve tests: what the client script imports must load, at the
# pinned version.
clients="$repo/tests/serve_clients"
sdk_stamp="$clients/node_modules/.toolcontract-setup"
sdk_want="$(sha256sum "$clients/package-lock.json" | cut -d' ' -f1)"
sdk_loads() {
    (cd "$clients" && node --input-type=module -e '
        import { Client } from "@modelcontextprotocol/sdk/client/index.js";
        import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
        import { readFileSync } from "node:fs";
        const version = JSON.parse(readFileSync(
            "node_modules/@modelcontextprotocol/sdk/package.json", "utf8")).version;
        if (version !== process.argv[1]) throw new Error("SDK " + version + " installed");
        if (typeof Client !== "function" || typeof StreamableHTTPClientTransport !== "function")
            throw new Error("the SDK client does not load");' "$MCP_SDK_VERSION")
}
setup_sdk() {
    if [ "$major" -lt 18 ]; then
        echo "setup-node: @modelcontextprotocol/sdk $MCP_SDK_VERSION needs Node.js 18 or later;" \
            "$(node --version) found" >&2
        exit 1
    fi
    if [ -f "$sdk_stamp" ] && [ "$(cat "$sdk_stamp")" = "$sdk_want" ] && sdk_loads 2>/dev/null; then
        echo "setup-node: @modelcontextprotocol/sdk $MCP_SDK_VERSION in $clients/node_modules (up to date)"
        return
    fi
    echo "setup-node: npm ci in $clients (the MCP TypeScript SDK)"
    rm -f "$sdk_stamp"
    (cd "$clients" && npm ci --no-audit --no-fund --loglevel=error)
    if ! sdk_loads; then
        echo "setup-node: @modelcontextprotocol/sdk is installed but does not load" >&2
        exit 1
    fi
    echo "$sdk_want" >"$sdk_stamp"
    echo "setup-node: @modelcontextprotocol/sdk $MCP_SDK_VERSION in $clients/node_modules"
}

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && loads 2>/dev/null; then
    echo "setup-node: $(node --version), aws-lambda-ric $AWS_LAMBDA_RIC_VERSION in $modules (up to date)"
    setup_sdk
    exit 0
fi

# Build tools: command -> Debian package.
missing=()
command -v cmake >/dev/null 2>&1 || command -v cmake3 >/dev/null 2>&1 || missing+=(cmake)
command -v autoreconf >/dev/null 2>&1 || missing+=(autoconf)
command -v aclocal >/dev/null 2>&1 || missing+=(automake)
command -v libtoolize >/dev/null 2>&1 || missing+=(libtool)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "setup-node: building aws-lambda-ric needs ${missing[*]}, and apt-get is not" \
            "available to install them" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "setup-node: installing ${missing[*]} (to build aws-lambda-ric's native client)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# The headers of this Node.js, so that node-gyp does not download them.
headers="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$headers/include/node/node_api.h" ]; then
    export npm_config_nodedir="$headers"
fi

echo "setup-node: npm ci in $dir (builds curl, aws-lambda-cpp and the addon: a few minutes)"
rm -f "$stamp"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)

if ! loads; then
    echo "setup-node: aws-lambda-ric is installed but its native client does not load" >&2
    exit 1
fi
echo "$want" >"$stamp"
echo "setup-node: $(node --version), aws-lambda-ric $AWS_LAMBDA_RIC_VERSION in $modules"
setup_sdk
