"""One exception type for bad input, so the CLI can turn it into one line and exit code 2."""

from __future__ import annotations


class LinkageInputError(Exception):
    """Input that cannot be used; the message names the file, line and field."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
