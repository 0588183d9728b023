# Sourced by scripts/start and scripts/test: make .venv and install InBeeld into it.
# Installs again only when pyproject.toml (or the wanted extras) changed since last time,
# so the second run of either command starts at once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"
EXTRAS="${1:-}"

"$PYTHON" - <<'PY' || { echo "InBeeld needs Python 3.11 or newer (set PYTHON=...)" >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating the virtual environment in .venv ..."
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.inbeeld-installed"
wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1) $EXTRAS"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing InBeeld and what it needs (first time takes a few minutes) ..."
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$EXTRAS"
  echo "$wanted" > "$stamp"
fi
