"""The mechanism of optimistic locking, for any model with an integer ``version`` field.

Each app keeps its own error and its own account of what counts as a change (see
signals/concurrency.py, cases/concurrency.py); the conditional UPDATE is written once here.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F


def version_claim(record: models.Model, *, seen_version: int) -> bool:
    """Take ``record`` for a change if it is still at ``seen_version``: one conditional
    UPDATE (``version = version + 1 WHERE version = seen``), then ``record`` is reloaded.
    False when someone else changed it first; nothing is written then."""
    version_require_transaction(record)
    manager = type(record)._default_manager
    claimed = manager.filter(pk=record.pk, version=seen_version).update(version=F("version") + 1)
    if claimed:
        record.refresh_from_db()
    return bool(claimed)


def version_bump(record: models.Model) -> None:
    """Count a change that needs no claim (it only adds, so it cannot overwrite anything)."""
    version_require_transaction(record)
    manager = type(record)._default_manager
    manager.filter(pk=record.pk).update(version=F("version") + 1)
    record.version = manager.values_list("version", flat=True).get(pk=record.pk)  # type: ignore[attr-defined]


def version_require_transaction(record: models.Model) -> None:
    # Outside a transaction the claim would be released at once and the change that follows
    # could interleave with another: a programming error, not a user's.
    if not transaction.get_connection().in_atomic_block:
        name = record._meta.model_name
        raise RuntimeError(f"a {name}'s version must be claimed inside the change's transaction")
