"""The one CSV writer for files a person may open in a spreadsheet: no formula injection.

Excel, LibreOffice and Numbers run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and tab or carriage return can hide such a start (OWASP, "CSV Injection"). A
formula in a cell that came from input (a purpose typed in a form, a partner's record id)
can fetch a URL with the rest of the sheet in it (``=HYPERLINK(...)``, ``=WEBSERVICE(...)``)
or, in old Excel, start a program (DDE). So every text cell that starts with one of those
characters gets a single quote in front, which spreadsheets show as text.

Numbers (``int``, ``float``, ``Decimal``) are written as they are. So is text that is
exactly a plain decimal number such as ``"-3.5"`` or ``"+31"``: a spreadsheet reads it as
that number and runs nothing, and a quote in front would turn a score or an amount into
text that no longer adds up. Anything else that is not a number is written as its text
(``str``), neutralised the same way.

No Django here: the framework-free packages (``inbeeld.linkage``, ``inbeeld.estimation``)
write their CSV files through it too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# ASCII digits only: other scripts' digits are no number to a spreadsheet.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)

Cell = str | int | float | Decimal | None


def safe_cell(value: object) -> Cell:
    """The value as it may go into a CSV cell: numbers untouched, formula-like text quoted."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return QUOTE + text
    return text


class SafeWriter:
    """``csv.writer`` with every cell passed through `safe_cell`."""

    def __init__(self, handle: SupportsWrite[str], dialect: str = "excel", **options: Any) -> None:
        self._writer = csv.writer(handle, dialect, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: SupportsWrite[str], dialect: str = "excel", **options: Any) -> SafeWriter:
    """Use as ``csv.writer``: ``safe_csv.writer(handle, lineterminator="\\n")``."""
    return SafeWriter(handle, dialect, **options)
