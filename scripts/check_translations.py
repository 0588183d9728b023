"""Fail when a user-facing string has no Dutch translation (or a fuzzy one).

Runs makemessages into a temporary copy so that the committed catalogue is compared with
what the code and templates ask for now, without touching the working tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "inbeeld"
IGNORED = ["estimation/*", "linkage/*", "testing/*", "*/tests/*"]


def untranslated(po_file: Path) -> list[str]:
    """Entries with an empty msgstr or a fuzzy flag, by msgid; plain parsing, no extra package."""
    problems: list[str] = []
    entries = po_file.read_text(encoding="utf-8").split("\n\n")
    for entry in entries[1:]:  # the first entry is the header
        lines = [line for line in entry.splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = "\n".join(line for line in lines if not line.startswith("#"))
        msgid = text.split("msgstr")[0].strip()
        strings = [part for part in text.split("msgstr")[1:]]
        empty = any(s.split(" ", 1)[-1].strip() == '""' for s in strings)
        if fuzzy or empty:
            problems.append(msgid)
    return problems


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "inbeeld"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        command = [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "nl",
            "--no-location",
            "--no-obsolete",
            *[arg for pattern in IGNORED for arg in ("-i", pattern)],
        ]
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="inbeeld.settings", PYTHONPATH=tmp)
        subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)
        problems = untranslated(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    for msgid in problems:
        print(f"untranslated or fuzzy: {msgid}", file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} strings need a Dutch translation in "
            "inbeeld/locale/nl/LC_MESSAGES/django.po",
            file=sys.stderr,
        )
        return 1
    print("translations complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
