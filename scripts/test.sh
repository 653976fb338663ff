#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs the whole test suite on as many processes as the machine has
# cores (pytest-xdist, each test file on one process). `--quick` runs the fast tiers only (unit and
# server, see docs/testing.md); other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
arguments=()
tiers=()
for argument in "$@"; do
  if [ "$argument" = "--quick" ]; then
    tiers=(-m "unit or server")
  else
    arguments+=("$argument")
  fi
done
status=0
.venv/bin/python -P -m pytest -n "${PRESSROOM_TEST_PROCESSES:-auto}" --dist loadfile "${tiers[@]}" \
  "${arguments[@]}" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass" >&2
  exit 1
fi
exit "$status"
