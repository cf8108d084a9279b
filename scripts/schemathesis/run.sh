#!/usr/bin/env bash
# Fuzzes the served OpenAPI document with schemathesis (PyPI): the headless API (/v1, 50 examples per
# operation) and the admin API (/api, 10 per operation: it has 47 operations and CI's 10 minutes are
# tight; hooks.py signs its session tokens); zero 5xx and zero conformance failures, or the run
# fails. /api runs the examples, fuzzing and stateful phases: its coverage phase alone takes some 45 s
# (the whole program's schema), so it runs with FUZZ_ADMIN_PHASES=examples,coverage,fuzzing,stateful.
# FUZZ_EXAMPLES and FUZZ_ADMIN_EXAMPLES change the counts, FUZZ_ADMIN=0 leaves /api out.
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
  local examples=$1
  shift
  "$venv/bin/schemathesis" --config-file scripts/schemathesis/schemathesis.toml run "http://127.0.0.1:$port/api/openapi.json" --url "http://127.0.0.1:$port" \
    --max-examples "$examples" --seed "${FUZZ_SEED:-1}" --no-color "$@"
}
run "${FUZZ_EXAMPLES:-50}" --include-path-regex '^/v1/' -H "Authorization: Bearer $key"
if [ "${FUZZ_ADMIN:-1}" = 1 ]; then
  run "${FUZZ_ADMIN_EXAMPLES:-10}" --include-path-regex '^/api/' --phases "${FUZZ_ADMIN_PHASES:-examples,fuzzing,stateful}"
fi
