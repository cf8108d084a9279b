#!/usr/bin/env bash
# Fuzzes the served OpenAPI document with schemathesis (PyPI): the headless API (/v1, 50 examples per
# operation) and the admin API (/api, 10 per operation: it has 47 operations and CI's 10 minutes are
# tight; hooks.py signs its session tokens); zero 5xx and zero conformance failures, or the run
# fails. FUZZ_EXAMPLES and FUZZ_ADMIN_EXAMPLES change the counts, FUZZ_ADMIN=0 leaves /api out.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
port=${FUZZ_PORT:-3901}
venv="$work/venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'

export SHOPIFY_API_KEY=tally-dev-client-id SHOPIFY_API_SECRET=tally-dev-client-secret-not-for-production
PORT=$port DATA_DIR="$work/data" LOG_LEVEL=warn npm exec -- node --import tsx server/main.ts >"$work/app.log" 2>&1 &
app=$!
trap 'kill "$app" 2>/dev/null; wait "$app" 2>/dev/null; rm -rf "$work"' EXIT
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
  "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" --url "http://127.0.0.1:$port" \
    --max-examples "$examples" --seed "${FUZZ_SEED:-1}" --no-color "$@"
}
run "${FUZZ_EXAMPLES:-50}" --include-path-regex '^/v1/' -H "Authorization: Bearer $key"
if [ "${FUZZ_ADMIN:-1}" = 1 ]; then
  run "${FUZZ_ADMIN_EXAMPLES:-10}" --include-path-regex '^/api/' --phases "${FUZZ_ADMIN_PHASES:-examples,fuzzing,stateful}"
fi
