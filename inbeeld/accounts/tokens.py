"""API tokens on django-rest-knox: only a digest is stored, the token itself is shown once.

Every token expires (``API_TOKEN_DAYS``, at most ``API_TOKEN_MAX_DAYS``); knox refuses an
expired token with 401. Owners are warned before it lapses: API responses carry
``Token-Expires``, their account page shows a notice within ``WARN_DAYS[0]`` days, and a daily
task mails them ``WARN_DAYS`` days before (``token_expiry_warnings_scheduled``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken

from inbeeld.accounts.models import TokenExpiryNotice, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record

API_TOKEN_MAX_DAYS = 366
WARN_DAYS = (14, 3)  # mail the owner this many days before expiry, once each

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once; only its digest is stored
    key: str  # the first characters, stored and shown to recognise it by
    expires: datetime


def token_days_checked(days: int | str | None) -> int:
    """The lifetime in days for a new token; ValueError with a message naming the limits."""
    if days is None:
        return int(settings.API_TOKEN_DAYS)
    try:
        number = int(days)
    except ValueError:
        number = 0
    if not 1 <= number <= API_TOKEN_MAX_DAYS:
        raise ValueError(
            f"--days must be a whole number from 1 to {API_TOKEN_MAX_DAYS}, not {days!r}"
        )
    return number


@transaction.atomic
def api_token_issue(*, user: User, days: int | None = None, by: User | None = None) -> IssuedToken:
    """A new token acting with ``user``'s rights, expiring after ``days`` (default setting)."""
    lifetime = timedelta(days=token_days_checked(days))
    instance, token = AuthToken.objects.create(user=user, expiry=lifetime)
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=user,
        purpose=Purpose.ACCOUNT_ADMINISTRATION,
        detail={"api_token": instance.token_key, "expires": instance.expiry.isoformat()},
    )
    return IssuedToken(str(token), instance.token_key, instance.expiry)


def api_token_create(*, user: User) -> str:
    """A new token with the default lifetime; returns only the token."""
    return api_token_issue(user=user).token


@transaction.atomic
def api_token_revoke(*, by: User, token: AuthToken) -> None:
    audit_record(
        actor=by,
        action=Action.DELETE,
        target=token.user,
        purpose=Purpose.ACCOUNT_ADMINISTRATION,
        detail={"api_token_revoked": token.token_key},
    )
    token.delete()


def tokens_of(user: User) -> QuerySet[AuthToken]:
    tokens: QuerySet[AuthToken] = AuthToken.objects.filter(user=user)
    return tokens.order_by("expiry", "token_key")


def tokens_expiring_soon(user: User) -> QuerySet[AuthToken]:
    """The user's tokens that lapse within the first warning period (and have not yet)."""
    now = timezone.now()
    return tokens_of(user).filter(expiry__gt=now, expiry__lte=now + timedelta(days=WARN_DAYS[0]))


def rfc3339(moment: datetime) -> str:
    """The header form of a moment: UTC, whole seconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _warning_mail(token: AuthToken) -> tuple[str, str]:
    """Subject and body: the account name, the token's first characters and the date only."""
    expires = timezone.localtime(token.expiry).strftime("%Y-%m-%d %H:%M")
    username = token.user.get_username()
    subject = f"InBeeld: API-token verloopt op {expires} / API token expires on {expires}"
    body = (
        f"Het API-token {token.token_key}… van account {username} verloopt op {expires}.\n"
        "Vraag uw functioneel beheerder tijdig om een nieuw token; daarna weigert InBeeld "
        "het oude.\n\n"
        f"The API token {token.token_key}… of account {username} expires on {expires}.\n"
        "Ask your application administrator for a new token in time; after that date "
        "InBeeld refuses the old one.\n"
    )
    return subject, body


def token_expiry_warnings_send() -> int:
    """Mail owners whose tokens lapse within a warning period; each warning once. Returns sent.

    A token that is already within the 3-day period gets that warning only (and the 14-day
    one is recorded as passed). The record is written in the same transaction as the mail is
    handed over, so a failed send is tried again on the next run, and a second run (or a
    second worker) sends nothing twice.
    """
    now = timezone.now()
    sent = 0
    soon = AuthToken.objects.filter(
        expiry__gt=now, expiry__lte=now + timedelta(days=max(WARN_DAYS))
    ).select_related("user")
    for token in soon:
        due = [days for days in WARN_DAYS if token.expiry <= now + timedelta(days=days)]
        urgent = min(due)
        if not token.user.email:
            continue
        try:
            with transaction.atomic():
                _notice, created = TokenExpiryNotice.objects.get_or_create(
                    token=token, days_before=urgent
                )
                if not created:
                    continue
                for days in due:
                    TokenExpiryNotice.objects.get_or_create(token=token, days_before=days)
                subject, body = _warning_mail(token)
                send_mail(subject, body, None, [token.user.email])
        except IntegrityError:  # another run recorded it at the same moment
            continue
        sent += 1
    return sent


def token_expiry_warnings_scheduled() -> None:
    """Entry point of the daily django-q2 schedule (accounts migration 0006)."""
    sent = token_expiry_warnings_send()
    logger.info("API token expiry warnings sent: %d", sent)
