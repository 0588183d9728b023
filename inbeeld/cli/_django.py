"""Start Django for the subcommands that need the web application."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    import django

    django.setup()


def migrate_quietly() -> None:
    from django.core.management import call_command

    # Without the system checks: a key that does not match is reported by keys_checked() in
    # one line per key, not as migrate's traceback.
    call_command("migrate", interactive=False, verbosity=0, skip_checks=True)


def keys_checked(command: str) -> bool:
    """Print each key that does not match the database (one line each) and say whether all
    do; record the keys of a new installation. Before any work that reads stored data."""
    import sys

    from inbeeld.privacy.fingerprints import key_fingerprints_record, key_problems_or_none

    problems = key_problems_or_none()
    if problems is None:
        return True  # not migrated yet: nothing stored that a key could fail to read
    for problem in problems:
        print(f"inbeeld {command}: {problem}", file=sys.stderr)
    if problems:
        return False
    key_fingerprints_record()
    return True
