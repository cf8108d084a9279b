#!/usr/bin/env bash
# Installs schemathesis (PyPI), at the version CI pins, into the virtualenv named by $1.
set -euo pipefail
python3 -m venv "$1"
"$1/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
