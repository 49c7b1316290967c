#!/bin/sh
# An AgentCore Gateway Lambda target written as a POSIX shell script: the Lambda Runtime API is
# plain HTTP, so any process that can GET and POST can be a handler. Needs curl, sed and awk.
#
#   toolcontract check examples/shell/tools.json -- examples/shell/handler.sh
set -u
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT

# The value of a response header (case-insensitive name), without the trailing CR.
header() {
    sed -n "s/^$1: *//Ip" "$headers" | tr -d '\r'
}

# An integer member of a compact JSON object, or nothing.
member() {
    printf '%s' "$2" | sed -n "s/.*\"$1\":\(-\{0,1\}[0-9][0-9]*\)[,}].*/\1/p"
}

while :; do
    event=$(curl -sS -D "$headers" "$api/invocation/next") || exit 1
    id=$(header Lambda-Runtime-Aws-Request-Id)
    # The tool name is <target>___<tool> in the client context: split at the first ___.
    tool=$(header Lambda-Runtime-Client-Context \
        | sed -n 's/.*"bedrockAgentCoreToolName":"[^"_]*___\([^"]*\)".*/\1/p')
    a=$(member a "$event")
    b=$(member b "$event")
    if [ "$tool" = add ] && [ -n "$a" ] && [ -n "$b" ]; then
        sum=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", a + b }')
        body="{\"content\":[{\"type\":\"text\",\"text\":\"$sum\"}]}"
    else
        body="{\"content\":[{\"type\":\"text\",\"text\":\"unknown tool or bad arguments\"}],\"isError\":true}"
    fi
    curl -sS -o /dev/null -X POST -d "$body" "$api/invocation/$id/response" || exit 1
done
