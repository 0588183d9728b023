"""`inbeeld import` as an operator runs it: check, import, the same file again, a bad file
refused whole with every error, and a user who may not import for the organisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import run_cli

ORGANISATION = "Politie Zeeland-West-Brabant"
USER = "politie.zeeland"
HEADER = "reference;municipality;description;incident_date;exploitation_forms;acute"


def write(path: Path, *rows: str) -> Path:
    # Windows-1252 with ; and CRLF, as Dutch Excel saves CSV.
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252"))
    return path


def imports(env: dict[str, str], path: Path, *extra: str, user: str = USER):  # type: ignore[no-untyped-def]
    return run_cli(
        "import",
        "signals",
        str(path),
        "--organisation",
        ORGANISATION,
        "--user",
        user,
        *extra,
        env=env,
    )


@pytest.mark.slow
def test_import_checks_imports_once_and_refuses_a_bad_file_whole(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    good = write(
        tmp_path / "lijst.csv",
        "CLI-1;GM0664;Voorbeeld: café met werknemers die er slapen.;01-10-2026;labour;nee",
        "CLI-2;654;Voorbeeld twee.;;;ja",
    )
    checked = imports(demo_env, good, "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[-1] == (
        "checked: 2 rows, would create 2, imported before 0, errors 0"
    )
    done = imports(demo_env, good)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.splitlines()[-1] == "imported: 2 rows, created 2, imported before 0, errors 0"
    )
    again = imports(demo_env, good)
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1].startswith("already: 2 rows, created 0,")
    bad = write(
        tmp_path / "fout.csv",
        "CLI-3;GM0664;Goed.;;;",
        "CLI-4;GM9999;Fout.;31-02-2026;;misschien",
        "CLI-5;GM0664;;;dance;",
    )
    refused = imports(demo_env, bad)
    assert refused.returncode == 1
    assert refused.stdout.splitlines() == [
        "line 3, column municipality: Unknown code “GM9999”: see the list of codes in the "
        "documentation.",
        "line 3, column incident_date: Not a date. Write it as DD-MM-YYYY (or YYYY-MM-DD).",
        "line 3, column acute: Write ja or nee.",
        "line 4, column description: A value is required.",
        "line 4, column exploitation_forms: Unknown code “dance”. Choose from: criminal, "
        "labour, organ_removal, other, sexual.",
        "refused: nothing imported, errors 5",
    ]
    # The good row of the bad file was not imported either: importing it alone creates it.
    alone = write(tmp_path / "alleen.csv", "CLI-3;GM0664;Goed.;;;")
    assert (
        imports(demo_env, alone).stdout.splitlines()[-1].startswith("imported: 1 rows, created 1")
    )
    # The FG enters no signals: refused, exit status 2.
    refused_user = imports(demo_env, alone, user="fg")
    assert refused_user.returncode == 2
    assert "may not import signals" in refused_user.stderr
    missing = imports(demo_env, tmp_path / "nergens.csv")
    assert missing.returncode == 2 and "no such file" in missing.stderr
