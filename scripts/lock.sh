#!/usr/bin/env bash
# Makes requirements.lock again from pyproject.toml (and the extra `test`), keeping every pin it
# already has: add a dependency to pyproject.toml, then run this. pip-compile runs on Debian's
# Python 3.11 (as setup.sh's .venv does), so that packages asked for only before 3.11.3
# (redis's async-timeout) are in the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PRESSROOM_PYTHON:-/usr/bin/python3.11}"
tools="${TMPDIR:-/tmp}/pressroom-pip-tools"
[ -x "$tools/bin/pip-compile" ] || { "$python" -m venv "$tools" && "$tools/bin/pip" install --quiet pip-tools; }
"$tools/bin/pip-compile" --quiet --extra=test --generate-hashes --no-emit-find-links --no-emit-index-url \
  --output-file=requirements.lock --strip-extras pyproject.toml
