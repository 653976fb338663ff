#!/usr/bin/env bash
# The benchmark: Pressroom against pandoc (and WeasyPrint alone) on the same inputs, in one run.
# Usage: bash bench/run.sh [--runs N]     (not part of the test suite; takes a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
missing=()
command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
[ -d /usr/share/doc/debian-handbook/html/en-US ] || missing+=(debian-handbook)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Byte-compiled as pip compiles an installed wheel (an editable checkout is not, and
# PYTHONDONTWRITEBYTECODE may keep Python from caching it): every cold run then starts as a user's does.
# Every module of the package, whatever folders it grows: the tests, the benchmark and the tools are not in it.
.venv/bin/python -m compileall -q -x '(^|/)(\.venv|\.git|tests|bench|scripts|tools|build|node_modules)(/|$)' . >/dev/null
# -P: the benchmark imports Pressroom as installed, not modules from bench/ by accident.
exec .venv/bin/python -P bench/run.py "$@"
