#!/usr/bin/env bash
# Set up .venv from the pinned lock files. Idempotent: skips the install when the venv already
# matches its lock file. Python 3.10 (Rasa 3.6's own) is preferred; 3.11 works with its lock.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  local candidate version
  for candidate in "${PYTHON:-}" python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python \
                   python3.11 "$HOME"/.pyenv/versions/3.11*/bin/python; do
    [ -n "$candidate" ] || continue
    version=$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue
    case "$version" in 3.10|3.11) echo "$candidate"; return 0 ;; esac
  done
  echo "No Python 3.10 or 3.11 found. Install one, or set PYTHON=/path/to/python3.10." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  python=$(pick_python)
  echo "Creating .venv with $python"
  "$python" -m venv .venv
fi

version=$(.venv/bin/python -c 'import sys; print("%d%d" % sys.version_info[:2])')
lock="requirements-py${version}.lock"
[ -f "$lock" ] || { echo "No lock file $lock for this Python; use Python 3.10 or 3.11." >&2; exit 1; }
stamp=.venv/.installed
wanted=$(sha256sum "$lock" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing the pinned packages from $lock (a few minutes on a fresh machine)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check pip==24.2
  if [ "$version" = "311" ]; then
    # Rasa 3.6 declares Python < 3.11 but runs on 3.11 with these pins. Only Rasa itself is
    # installed ignoring that declaration; everything else comes from the lock, exactly.
    .venv/bin/python -m pip install --quiet --no-deps --ignore-requires-python \
      rasa==3.6.21 rasa-sdk==3.6.2
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r "$lock"
  echo "$wanted" > "$stamp"
fi

# The project itself, in editable mode: the `extramile` package, the adapters Rasa and the web
# server load by name, and the `extramile` command. Checked from outside the project folder, so
# a package found only because it sits in the current directory does not count.
if ! (cd / && "$OLDPWD/.venv/bin/python" -c "import extramile, actions, channels, web" 2>/dev/null) \
   || [ ! -x .venv/bin/extramile ] || [ pyproject.toml -nt .venv/.editable ]; then
  echo "Installing the project (editable)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  touch .venv/.editable
fi

# The browser packages the web app serves (socket.io-client, Chart.js) and the browser tests use
# (axe-core), from the npm lock file.
npm_stamp=node_modules/.installed
npm_wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_wanted" ]; then
  echo "Installing the browser packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_wanted" > "$npm_stamp"
fi

# Debian's chromium for the browser tests (Playwright drives it; it cannot download its own).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "Browser tests need Debian's chromium: sudo apt-get install chromium chromium-driver" >&2
  fi
fi
