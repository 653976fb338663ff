#!/usr/bin/env bash
# Runs the test suite against the wheel installed in a fresh venv instead of against the checkout.
# Extra arguments go to pytest; test paths are given as in the checkout (tests/test_cli.py), and
# name the copy of tests/ this script runs from, where `import pressroom` finds only the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh  # the system tools and validators the tests call, and a pip cache of the lock
checkout="$PWD"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

.venv/bin/python -m pip wheel --quiet --no-deps -w "$work/dist" .
.venv/bin/python -m venv "$work/venv"  # on the same Python as .venv (setup.sh chooses it)
"$work/venv/bin/python" -m pip install --quiet --require-hashes --no-deps -r requirements.lock
"$work/venv/bin/python" -m pip install --quiet --no-deps "$work"/dist/pressroom-*.whl
# pyproject.toml only for pytest's settings: without modules beside it, it makes no package.
cp -r tests pyproject.toml "$work/"
cd "$work"
installed="$(venv/bin/python -P -c 'import pressroom; print(pressroom.__file__)')"
case "$installed" in
  "$work/venv/"*) echo "Testing the wheel installed at $installed" ;;
  *) echo "pressroom is imported from $installed, not from the wheel" >&2; exit 1 ;;
esac

[ $# -gt 0 ] || set -- tests
status=0
PRESSROOM_CHECKOUT="$checkout" venv/bin/python -P -m pytest -p no:cacheprovider "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass" >&2
  exit 1
fi
exit "$status"
