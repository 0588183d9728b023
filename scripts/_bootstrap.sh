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
hash="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
# The stamp says which pyproject.toml and which extras were installed. Starting InBeeld
# needs no extras, so an installation with the test extras ([dev]) serves scripts/start too:
# switching between the two commands installs nothing again.
installed_hash="$(cut -d' ' -f1 "$stamp" 2>/dev/null || true)"
installed_extras="$(cut -s -d' ' -f2 "$stamp" 2>/dev/null || true)"
if [ "$installed_hash" = "$hash" ] && { [ -z "$EXTRAS" ] || [ "$EXTRAS" = "$installed_extras" ]; }; then
  up_to_date=1
else
  up_to_date=0
fi
if [ "$up_to_date" = 0 ]; then
  echo "Installing InBeeld and what it needs (first time takes a few minutes) ..."
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$EXTRAS"
  echo "$hash $EXTRAS" > "$stamp"
fi
