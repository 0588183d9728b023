"""`inbeeld report council`: the real console script writes the council report of the demo's
region as a PDF (Dutch unless asked otherwise), audits it, and refuses an unknown region,
year or language with one line and exit status 2."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from tests.cli.conftest import run_cli


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_council_report_is_written_in_dutch_and_audited(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "raad.pdf"
    # This year as the installation counts it (settings.TIME_ZONE).
    year = str(datetime.now(ZoneInfo("Europe/Amsterdam")).year)
    result = run_cli(
        "report", "council", "--region", "VR19", "--year", year, "--out", str(out), env=demo_env
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = _text(out)
    assert f"Mensenhandel in Zeeland: raadsrapportage {year}" in text
    assert "Wat deze cijfers niet kunnen zeggen" in text
    english = tmp_path / "council.pdf"
    result = run_cli(
        "report",
        "council",
        "--region",
        "vr19",
        "--year",
        year,
        "--out",
        str(english),
        "--lang",
        "en",
        env=demo_env,
    )
    assert result.returncode == 0, result.stderr
    assert "What these figures cannot say" in _text(english)
    verify = run_cli("audit", "verify", env=demo_env)
    assert verify.returncode == 0, verify.stderr


def test_an_unknown_region_year_or_language_is_one_line_and_exit_2(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    cases = [
        (["--region", "VR99", "--year", "2025"], "VR99"),
        (["--region", "VR19", "--year", "1990"], "1990"),
        (["--region", "VR19", "--year", "twenty"], "twenty"),
        (["--region", "VR19", "--year", "2025", "--lang", "de"], "'de'"),
    ]
    for arguments, named in cases:
        result = run_cli("report", "council", *arguments, "--out", str(out), env=demo_env)
        assert result.returncode == 2, (arguments, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and named in lines[0], result.stderr
        assert not out.exists()
