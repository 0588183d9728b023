"""Running a data migration in a test against rows stored in the shape before it.

Use in a transactional test (``django_db(transaction=True)``): the database is taken back to
the given migrations, and forward to the latest ones afterwards, whatever the test did.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Target = tuple[str, str]


def migrate(targets: Sequence[Target]) -> Any:
    """Bring the database to ``targets``; returns the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    executor.loader.build_graph()
    return executor.loader.project_state(list(targets)).apps


@contextmanager
def migrated_back_to(targets: Sequence[Target]) -> Iterator[Any]:
    """The historical apps at ``targets``; the latest migrations are applied again after."""
    try:
        yield migrate(targets)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
