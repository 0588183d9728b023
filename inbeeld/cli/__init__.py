"""The `inbeeld` console script: one entry point for everything a person runs.

Every module in this package that defines ``register(subparsers)`` adds a subcommand.
Modules import their heavy dependencies (Django, numpy) inside the handler, so that
``inbeeld estimate`` starts without loading the web application and ``--help`` is fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inbeeld",
        description="InBeeld — aanpak mensenhandel. Run `inbeeld COMMAND --help` for details.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = args.handler
    try:
        code: int = handler(args)
    except Exception as error:
        # A bad setting (LOG_LEVEL=loud, DATABASE_URL=foo, a missing key) stops every
        # subcommand; one line that names the variable says more than Django's traceback.
        if type(error).__name__ != "ImproperlyConfigured":
            raise
        print(f"inbeeld: {error}", file=sys.stderr)
        return 2
    return code


def run() -> None:
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader went away (`inbeeld estimate ... | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
