"""Login events in the audit trail (ASVS 16.3: authentication successes and failures)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from inbeeld.audit.models import Action
from inbeeld.audit.services import audit_record


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
