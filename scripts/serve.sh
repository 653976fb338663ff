#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and serves the web preview of the content folder on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "The sample article's preview: http://127.0.0.1:${PORT:-8000}/articles/28-banned-photos-smuggled-out-of-north-korea/"
exec .venv/bin/pressroom serve --host 127.0.0.1 --port "${PORT:-8000}" "$@"
