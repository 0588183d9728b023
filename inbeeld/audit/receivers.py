"""Login events in the audit trail (ASVS 16.3), and the SQLite side of the DELETE guard."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from inbeeld.audit.models import Action
from inbeeld.audit.services import audit_deletion_is_permitted, audit_record


@receiver(user_logged_in)
def record_password_step(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.LOGIN, detail={"step": "password"})


@receiver(user_login_failed)
def record_failed_login(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The user name as typed: it may belong to no account, so it is not linked to one.
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        actor_name=str(credentials.get("username", ""))[:150],
    )


# The SQL function the SQLite trigger of migration 0003 asks before a DELETE on the trail.
SQLITE_DELETION_FUNCTION = "inbeeld_audit_delete_permitted"


@receiver(connection_created)
def register_sqlite_deletion_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite has no session settings; the trigger asks this thread's permission instead.

    Not deterministic: the answer changes with `audit_deletion_permitted()`. A connection
    without it (the sqlite3 shell) fails every DELETE on the trail with "no such function".
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_DELETION_FUNCTION,
            0,
            lambda: int(audit_deletion_is_permitted()),
            deterministic=False,
        )
