#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and serves the web preview of the content folder on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/pressroom serve --host 127.0.0.1 --port "${PORT:-8000}" "$@"
