#!/usr/bin/env bash
# Set up everything Shouwen needs on this machine, reusing what is already there:
#   Python 3.10 (pyenv) → .venv-rasa (Rasa 3.6) and .venv (gateway, tools) → redis-server, chromium (apt)
#   → the Rasa model (models/, retrained when stale).
# Each step is skipped when its stamp says it is current, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
stamp_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# 1. Python 3.10 for Rasa
find_py310() {
  for c in python3.10 "$HOME/.pyenv/versions/"3.10*/bin/python3.10; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}
PY310=$(find_py310 || true)
if [ -z "$PY310" ]; then
  if command -v pyenv >/dev/null 2>&1 || [ -x "$HOME/.pyenv/bin/pyenv" ]; then
    PYENV=$(command -v pyenv || echo "$HOME/.pyenv/bin/pyenv")
    say "installing Python 3.10 with pyenv (a few minutes, once)"
    "$PYENV" install -s 3.10.13
    PY310=$("$PYENV" root)/versions/3.10.13/bin/python3.10
  else
    echo "Python 3.10 is needed for Rasa 3.6: install it (pyenv install 3.10) and run again." >&2
    exit 1
  fi
fi

# 2. The two venvs, rebuilt when their requirement files change
make_venv() {  # dir python in-file lock-file
  local dir=$1 py=$2 req=$3 lock=$4 want
  want=$(stamp_of "$req" "$lock")
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  say "creating $dir ($("$py" --version))"
  [ -x "$dir/bin/python" ] || "$py" -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check --upgrade pip
  "$dir/bin/pip" install -q --disable-pip-version-check -r "$req" -c "$lock"
  echo "$want" > "$dir/.stamp"
}
make_venv .venv-rasa "$PY310" requirements/rasa.in requirements/rasa.lock
PY3=$(command -v python3)
make_venv .venv "$PY3" requirements/gateway.in requirements/gateway.lock

# 3. redis-server
if ! command -v redis-server >/dev/null 2>&1; then
  say "installing redis-server (apt-get)"
  if [ "$(id -u)" = 0 ]; then APT="apt-get"; else APT="sudo apt-get"; fi
  $APT update -qq && DEBIAN_FRONTEND=noninteractive $APT install -y -qq redis-server >/dev/null
  # The packaged service is not needed: Shouwen starts its own redis-server.
  (service redis-server stop || true) >/dev/null 2>&1
fi

# 3b. Chromium and its driver, for the browser tests of the widget and the clerk panel, and a Chinese
#     font so that their screenshots show Chinese text instead of empty boxes
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing chromium and chromium-driver (apt-get)"
  if [ "$(id -u)" = 0 ]; then APT="apt-get"; else APT="sudo apt-get"; fi
  $APT update -qq && DEBIAN_FRONTEND=noninteractive $APT install -y -qq chromium chromium-driver >/dev/null
fi
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  say "installing a Chinese font for Chromium (apt-get)"
  if [ "$(id -u)" = 0 ]; then APT="apt-get"; else APT="sudo apt-get"; fi
  $APT update -qq && DEBIAN_FRONTEND=noninteractive $APT install -y -qq fonts-wqy-microhei >/dev/null
fi

# 4. the Rasa model, trained when missing or stale
bash scripts/train.sh

# 5. the catalog's passage vectors (.models/vectors), embedded once; later runs read the cache
PYTHONPATH="$ROOT" .venv/bin/python scripts/embed_catalog.py
say "ready"
