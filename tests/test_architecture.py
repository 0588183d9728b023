"""What docs/architecture.md claims about the code's structure, checked on the source.

"Every entry is written by audit/services.py and nowhere else"; "every lookup of an object by
id goes through a function in access.py"; "role_required is gone". These are sentences a new
engineer relies on; a change that breaks one fails here with the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "inbeeld"


def sources(pattern: str = "*.py") -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob(pattern)
        if "/tests/" not in str(path) and "/migrations/" not in str(path)
    ]


def hits(regex: str, files: list[Path]) -> list[str]:
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(regex, line):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    return found


# Where the audit models are defined and written.
OWN = {"audit/services.py", "audit/models.py"}


def test_audit_entries_are_written_only_by_the_audit_services() -> None:
    writers = [p for p in sources() if p.relative_to(PACKAGE).as_posix() not in OWN]
    found = hits(
        r"AuditEntry\(|AuditEntry\.objects\.(create|bulk_create)|AuditRecordRef\(", writers
    )
    assert not found, "audit entries written outside audit/services.py:\n" + "\n".join(found)


def test_views_look_records_up_only_through_access() -> None:
    views = [
        p
        for p in sources()
        if p.name.endswith("views.py") or p.name in {"administration.py", "api.py", "api_urls.py"}
    ]
    found = hits(r"get_object_or_404|\.objects\.get\(|objects\.filter\([^)]*\bpk\b", views)
    assert not found, "lookups by id outside an access.py gate:\n" + "\n".join(found)


def test_no_page_decides_by_role_itself() -> None:
    found = hits(r"\brole_required\b", sources())
    assert not found, "\n".join(found)
