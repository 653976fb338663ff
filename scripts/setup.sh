#!/usr/bin/env bash
# Sets Pressroom up on a fresh Debian machine with Python 3.11: the system tools it and its tests
# call, a virtual environment in .venv, and the Python packages pinned in requirements.lock.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
# Debian's own Python 3.11, built with profile-guided and link-time optimisation, when there is one,
# even if another python3 comes first on the PATH (pyenv's default build has neither: Pressroom's
# cold commands ran 5-13% slower on it). PRESSROOM_PYTHON chooses another.
python="${PRESSROOM_PYTHON:-}"
if [ -z "$python" ]; then
  python=python3
  [ -x /usr/bin/python3.11 ] && python=/usr/bin/python3.11
fi
"$python" -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)  # Debian splits venv out
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)     # pdfinfo, pdffonts, pdftotext, pdftoppm
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)  # EPUBCheck runs on Java
command -v jing >/dev/null 2>&1 || missing+=(jing)                    # the OPDS feeds' RELAX NG schema
command -v chromium >/dev/null 2>&1 || missing+=(chromium)           # DAISY Ace and the browser tests
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)               # DAISY Ace and axe-core
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)   # the queue tests start their own, on loopback
command -v openssl >/dev/null 2>&1 || missing+=(openssl)             # the mail tests make a certificate for their TLS server
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)  # the catalogue tests start their own
ldconfig -p | grep 'libpangoft2-1.0.so.0' >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
# The faces of the scripts the bundled fonts lack (Arabic, Hebrew, Devanagari...; Chinese, Japanese, Korean).
[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || missing+=(fonts-noto-core)
[ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

base="$("$python" -c 'import os, sys; print(os.path.realpath(sys.executable))')"
made_from="$(sed -n 's/^executable = //p' .venv/pyvenv.cfg 2>/dev/null || true)"
if [ -x .venv/bin/python ] && [ "$made_from" != "$base" ]; then
  echo "Making .venv again on $base (it was made on ${made_from:-another Python})"
  rm -rf .venv
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=".venv/.pressroom-installed"
wanted="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  # --no-deps: the lock names every package, and Debian's pip 23.0 otherwise resolves a dependency
  # asked for with extras (justext's lxml[html_clean]) to the index's newest release, not the locked one.
  .venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
  .venv/bin/python -m pip install --quiet --no-deps -e .
  .venv/bin/python -m pip check >/dev/null  # the lock is whole: every requirement met
  echo "$wanted" > "$stamp"
fi

# Validators from npm, pinned by tools/package-lock.json; Ace drives Debian's chromium, not a download.
npm_stamp="tools/node_modules/.pressroom-installed"
npm_wanted="$(sha256sum tools/package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$npm_stamp" 2>/dev/null)" != "$npm_wanted" ]; then
  (cd tools && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  echo "$npm_wanted" > "$npm_stamp"
fi
