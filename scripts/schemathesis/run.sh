#!/usr/bin/env bash
# Fuzzes the served OpenAPI document with schemathesis (PyPI): the headless API (/v1) with a bounded
# number of examples per operation; zero 5xx and zero conformance failures, or the run fails.
# The admin API (/api) is fuzzed with FUZZ_ADMIN=1 (hooks.py signs its session tokens).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
port=${FUZZ_PORT:-3901}
# FUZZ_VENV names a virtualenv that scripts/schemathesis/install.sh prepared (CI does it beforehand).
venv=${FUZZ_VENV:-$work/venv}
[ -x "$venv/bin/schemathesis" ] || bash scripts/schemathesis/install.sh "$venv"

export SHOPIFY_API_KEY=tally-dev-client-id SHOPIFY_API_SECRET=tally-dev-client-secret-not-for-production
# Node 22 from the `node` package, started directly so that the stop signal reaches the server itself
# (through `npm exec` it stopped npm and left the server and its database running).
PORT=$port DATA_DIR="$work/data" LOG_LEVEL=warn node_modules/.bin/node --import tsx server/main.ts >"$work/app.log" 2>&1 &
app=$!
stop_app() {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_app EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 1
done

export PYTHONPATH=scripts/schemathesis SCHEMATHESIS_HOOKS=hooks
token=$("$venv/bin/python" -c 'import hooks; print(hooks.session_token())')
key=$(curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"schemathesis","scopes":["balances:read","history:read","redemptions:write"]}' \
  "http://127.0.0.1:$port/api/api-keys" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["key"])')

run() {
  "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" --url "http://127.0.0.1:$port" \
    --max-examples "${FUZZ_EXAMPLES:-50}" --seed "${FUZZ_SEED:-1}" --no-color "$@"
}
run --include-path-regex '^/v1/' -H "Authorization: Bearer $key"
if [ "${FUZZ_ADMIN:-0}" = 1 ]; then run --include-path-regex '^/api/'; fi
