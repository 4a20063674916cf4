#!/usr/bin/env bash
# A virtual environment with the Python tools the tests need (test/requirements.txt), under
# .cache/pytools. Idempotent: reinstalls only when test/requirements.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.cache/pytools
stamp="$venv/.requirements.sha256"
want=$(sha256sum test/requirements.txt | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r test/requirements.txt
echo "$want" >"$stamp"
