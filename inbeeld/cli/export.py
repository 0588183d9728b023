"""`inbeeld export comensha|htcds|open-data`: a region's registrations for CoMensha, cases as
HTCDS v2 records, and the k-anonymous open-data release (docs/exports.md).

Every bad argument is one line on stderr that names it, exit code 2, before any work: the
output file's folder is checked by making the temporary file there first, then Django
starts. The file is written under a temporary name next to ``--out`` and renamed only when
it is whole and the export is audited (registration/exports.py): nothing is ever
half-written, and no file exists that the audit trail does not know of.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from inbeeld.cli._django import keys_checked, setup_django

# As registration/exports.py YEAR_FROM (not imported: Django starts only after the checks).
YEAR_FROM = 1990


class BadArgumentError(Exception):
    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument}: {message}")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export", help="export registrations (CoMensha), cases (HTCDS v2) or open data"
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)

    comensha = kinds.add_parser(
        "comensha",
        help="the registrations of a region and year sent to CoMensha with a valid legal "
        "basis, as CoMensha's CSV file (docs/exports.md)",
    )
    comensha.add_argument("--region", required=True, help="region code, e.g. VR19")
    comensha.add_argument("--year", required=True, help="year of the registration date")
    comensha.add_argument("--out", required=True, help="the CSV file to write")
    comensha.set_defaults(handler=run_comensha)

    htcds = kinds.add_parser(
        "htcds",
        help="a region's cases as HTCDS v2 records, pseudonymised unless --identifiers "
        "with --basis (docs/exports.md)",
    )
    htcds.add_argument("--region", required=True, help="region code, e.g. VR19")
    htcds.add_argument("--from", dest="start", help="cases opened on or after (YYYY-MM-DD)")
    htcds.add_argument("--to", dest="end", help="cases opened on or before (YYYY-MM-DD)")
    htcds.add_argument("--out", required=True, help="FILE.csv or FILE.json")
    htcds.add_argument(
        "--identifiers",
        action="store_true",
        help="include name, date of birth and case reference (needs --basis; audited as a share)",
    )
    htcds.add_argument(
        "--basis",
        default="",
        help="the legal basis for exporting identifiers (a value of privacy/legal_bases.py, "
        "e.g. avg_6_1_c)",
    )
    htcds.set_defaults(handler=run_htcds)

    opendata = kinds.add_parser(
        "open-data",
        help="CTDC-style aggregates over all regions: every released combination describes "
        "at least k persons (docs/exports.md)",
    )
    opendata.add_argument("--year", required=True, help="year the cases were opened")
    opendata.add_argument("--k", default="11", help="minimum group size (default 11)")
    opendata.add_argument(
        "--length", default="3", help="longest combination of attributes released (default 3)"
    )
    opendata.add_argument("--out", required=True, help="the CSV file to write")
    opendata.set_defaults(handler=run_open_data)


# --- arguments ----------------------------------------------------------------------------


def _year(text: str) -> int:
    this_year = time.localtime().tm_year
    try:
        year = int(text)
    except ValueError:
        raise BadArgumentError("--year", f"not a year: {text!r}") from None
    if not YEAR_FROM <= year <= this_year:
        raise BadArgumentError("--year", f"give a year from {YEAR_FROM} to {this_year}")
    return year


def _date(argument: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadArgumentError(argument, f"not a date (YYYY-MM-DD): {text!r}") from None


def _whole(argument: str, text: str, lowest: int, highest: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadArgumentError(argument, f"not a whole number: {text!r}") from None
    if not lowest <= value <= highest:
        raise BadArgumentError(argument, f"give a number from {lowest} to {highest}")
    return value


@dataclass
class _Target:
    path: Path
    temporary: Path
    handle: IO[str]


def _target(out: str) -> _Target:
    """The temporary file next to ``--out``: made now, so that an unwritable place is refused
    before any work."""
    path = Path(out)
    if path.is_dir():
        raise BadArgumentError("--out", f"{out} is a folder, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise BadArgumentError("--out", f"cannot write in {folder}: {error.strerror}") from None
    handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
    return _Target(path=path, temporary=Path(name), handle=handle)


@contextlib.contextmanager
def _written(target: _Target) -> Iterator[IO[str]]:
    """Yield the temporary file; on success flush it to disk and give it its name, on any
    failure remove it."""
    try:
        yield target.handle
        target.handle.flush()
        os.fsync(target.handle.fileno())
        target.handle.close()
        os.replace(target.temporary, target.path)
    finally:
        if not target.handle.closed:
            target.handle.close()
        target.temporary.unlink(missing_ok=True)


def _actor(kind: str) -> str:
    """Who exported: the command and the operating system's user (the CLI has no web user)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid {os.getuid()}"
    return f"export {kind} (CLI, {user})"


def _refuse(kind: str, error: Exception) -> int:
    print(f"inbeeld export {kind}: {error}", file=sys.stderr)
    return 2


def _run(kind: str, out: str, work: Callable[[IO[str], str], str]) -> int:
    """Check --out, start Django, run ``work`` on the temporary file and name it."""
    try:
        target = _target(out)
    except BadArgumentError as error:
        return _refuse(kind, error)
    try:
        with _written(target) as handle:
            setup_django()
            from inbeeld.registration.exports import ExportArgumentError

            if not keys_checked(f"export {kind}"):
                raise _KeysError(2)
            try:
                summary = work(handle, _actor(kind))
            except ExportArgumentError as error:  # an unknown region or legal basis
                raise BadArgumentError(error.argument, error.message) from None
    except _KeysError as stop:
        return stop.code
    except BadArgumentError as error:
        return _refuse(kind, error)
    print(summary)
    return 0


class _KeysError(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _skipped(skipped: dict[str, int]) -> str:
    if not skipped:
        return ""
    parts = ", ".join(f"{count} ({reason})" for reason, count in sorted(skipped.items()))
    return f"; left out without a valid legal basis: {parts}"


# --- the three exports --------------------------------------------------------------------


def run_comensha(args: argparse.Namespace) -> int:
    try:
        year = _year(args.year)
    except BadArgumentError as error:
        return _refuse("comensha", error)

    def work(handle: IO[str], actor: str) -> str:
        from inbeeld.registration.exports import export_comensha, region_by_code

        region = region_by_code(args.region)
        report = export_comensha(region=region, year=year, handle=handle, actor_name=actor)
        return (
            f"wrote {report.written} registrations of {region.code} {year} to {args.out}"
            f"{_skipped(report.skipped)}"
        )

    return _run("comensha", args.out, work)


def run_htcds(args: argparse.Namespace) -> int:
    try:
        start, end = _date("--from", args.start), _date("--to", args.end)
        if start and end and start > end:
            raise BadArgumentError("--from", f"{start} lies after --to {end}")
        suffix = Path(args.out).suffix.lower()
        if suffix not in (".csv", ".json"):
            raise BadArgumentError("--out", "give a file name ending in .csv or .json")
        if args.identifiers and not args.basis:
            raise BadArgumentError(
                "--basis", "personal identifiers leave only with a stated legal basis"
            )
        if args.basis and not args.identifiers:
            raise BadArgumentError("--basis", "only with --identifiers (the default export is "
                                  "pseudonymised and needs none)")  # fmt: skip
    except BadArgumentError as error:
        return _refuse("htcds", error)

    def work(handle: IO[str], actor: str) -> str:
        from inbeeld.registration.exports import export_htcds, legal_basis_checked, region_by_code

        basis = legal_basis_checked(args.basis) if args.identifiers else ""
        region = region_by_code(args.region)
        report = export_htcds(
            region=region,
            start=start,
            end=end,
            file_format=suffix[1:],
            identifiers=args.identifiers,
            basis=basis,
            handle=handle,
            actor_name=actor,
        )
        kind = "with identifiers" if args.identifiers else "pseudonymised"
        return f"wrote {report.written} HTCDS records of {region.code} ({kind}) to {args.out}"

    return _run("htcds", args.out, work)


def run_open_data(args: argparse.Namespace) -> int:
    try:
        year = _year(args.year)
        k = _whole("--k", args.k, 2, 1000)
        length = _whole("--length", args.length, 1, 4)
    except BadArgumentError as error:
        return _refuse("open-data", error)

    def work(handle: IO[str], actor: str) -> str:
        from inbeeld.registration.exports import export_open_data

        report = export_open_data(
            year=year, k=k, max_length=length, handle=handle, actor_name=actor
        )
        return f"wrote {report.written} combinations of {year} (k = {k}) to {args.out}"

    return _run("open-data", args.out, work)
