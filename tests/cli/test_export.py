"""`inbeeld export comensha|htcds|open-data` as a person runs them: files written whole and
audited, bad arguments refused in one line naming the argument (exit 2), nothing left
behind when refused."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.cli.conftest import run_cli

YEAR = str(time.localtime().tm_year)

# The audit entries of the exports, read back through the CLI.
EXPORT_ENTRIES = (
    "from inbeeld.audit.models import AuditEntry; "
    "print([(e.actor, e.detail.get('export')) for e in "
    "AuditEntry.objects.filter(action='export').order_by('pk')])"
)


def _left_behind(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_the_three_exports_write_audited_files(demo_env: dict[str, str], tmp_path: Path) -> None:
    comensha = tmp_path / "comensha.csv"
    result = run_cli("export", "comensha", "--region", "VR19", "--year", YEAR,
                     "--out", str(comensha), env=demo_env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "registrations of VR19" in result.stdout
    text = comensha.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffformat;registration_id;")
    assert "plaats_delict" in text.splitlines()[0]

    htcds = tmp_path / "cases.json"
    result = run_cli("export", "htcds", "--region", "VR19", "--out", str(htcds), env=demo_env)
    assert result.returncode == 0, result.stderr
    document = json.loads(htcds.read_text(encoding="utf-8"))
    assert document["pseudonymised"] is True and document["records"]
    assert all(r["prs_FirstName"] == "" for r in document["records"])

    opendata = tmp_path / "open.csv"
    result = run_cli("export", "open-data", "--year", YEAR, "--k", "2", "--out", str(opendata),
                     env=demo_env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert opendata.read_bytes().startswith("\ufeffyearOfRegistration;".encode())

    audited = run_cli("manage", "shell", "-c", EXPORT_ENTRIES, env=demo_env)
    for kind in ("comensha", "htcds", "open-data"):
        assert f"'export {kind} (CLI, " in audited.stdout
    assert _left_behind(tmp_path) == []
    assert run_cli("audit", "verify", env=demo_env).returncode == 0


def test_identifiers_need_a_stated_legal_basis(demo_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "named.csv"
    refused = run_cli("export", "htcds", "--region", "VR19", "--identifiers", "--out", str(out),
                      env=demo_env)  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.strip().startswith("inbeeld export htcds: --basis:")
    result = run_cli("export", "htcds", "--region", "VR19", "--identifiers", "--basis",
                     "avg_6_1_c", "--out", str(out), env=demo_env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "with identifiers" in result.stdout
    assert "DS-" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["comensha", "--region", "VR99", "--year", YEAR], "--region"),
        (["comensha", "--region", "VR19", "--year", "twintig"], "--year"),
        (["comensha", "--region", "VR19", "--year", "1850"], "--year"),
        (["htcds", "--region", "XX1"], "--region"),
        (["htcds", "--region", "VR19", "--from", "2026-02-30"], "--from"),
        (["htcds", "--region", "VR19", "--from", "2026-03-01", "--to", "2026-02-01"], "--from"),
        (["htcds", "--region", "VR19", "--identifiers", "--basis", "gut feeling"], "--basis"),
        (["open-data", "--year", "next"], "--year"),
        (["open-data", "--year", YEAR, "--k", "1"], "--k"),
    ],
)
def test_bad_arguments_are_one_line_naming_the_argument(
    demo_env: dict[str, str], tmp_path: Path, arguments: list[str], named: str
) -> None:
    out = tmp_path / "refused.csv"
    result = run_cli("export", *arguments, "--out", str(out), env=demo_env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f": {named}: " in lines[0], result.stderr
    assert not out.exists()
    assert _left_behind(tmp_path) == []


def test_an_unwritable_out_is_refused_before_any_work(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    before = run_cli("manage", "shell", "-c", EXPORT_ENTRIES, env=demo_env).stdout
    for out, kind in (
        (tmp_path / "missing" / "file.csv", "comensha"),
        (tmp_path, "comensha"),  # a folder
        (tmp_path / "cases.xlsx", "htcds"),
    ):
        arguments = ["--region", "VR19"] + (["--year", YEAR] if kind == "comensha" else [])
        result = run_cli("export", kind, *arguments, "--out", str(out), env=demo_env)
        assert result.returncode == 2
        assert result.stderr.strip().startswith(f"inbeeld export {kind}: --out:"), result.stderr
    # Refused before any work: nothing was exported, so nothing was audited.
    assert run_cli("manage", "shell", "-c", EXPORT_ENTRIES, env=demo_env).stdout == before
