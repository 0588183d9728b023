"""Accounts' registration with privacy/ (registry.py): what django-axes keeps about logins.

django-axes (the lock-out on password guessing, settings.AXES_*) keeps user names, IP
addresses and the browser of login attempts in three tables, each with its own use: the
counts behind the lock-out, the log of failed logins, and the log of logins.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils.translation import gettext_lazy as _

from inbeeld.privacy.registry import PersonalDataKind, Related, registry
from inbeeld.privacy.retention import RetentionRule

COUNTED = _("Failed logins counted towards a lock-out (user name, IP address)")
FAILURE_LOG = _("Log of every failed login (user name, IP address, browser)")

# The lock-out needs only the recent counts; a successful login already clears its own.
registry.register(
    PersonalDataKind(
        model=AccessAttempt,
        label=COUNTED,
        about=_("One row per user name and address with its number of failed logins."),
        retention=(
            RetentionRule("login_attempt", COUNTED, "axes.AccessAttempt", "attempt_time", None, 30),
        ),
    )
)
registry.register(
    PersonalDataKind(
        model=AccessFailureLog,
        label=FAILURE_LOG,
        about=_("One row for every failed login."),
        retention=(
            RetentionRule(
                "login_failure_log", FAILURE_LOG, "axes.AccessFailureLog", "attempt_time", None, 90
            ),
        ),
        related=(
            Related(
                "accounts.DeviceCookieFailure",
                _("Failed logins from a browser with a device cookie"),
                _("Removed with their entry in the log of failed logins."),
            ),
        ),
    )
)
# The log of logins and logouts serves to investigate a suspected account takeover (BIO2
# 5.17.01: logins from an unusual place). Half a year covers the time in which such an
# incident usually comes to light; the audit trail keeps that a login happened (without the
# address) for as long as the trail is kept.
LOGIN_LOG = _("Log of logins and logouts (user name, IP address, browser)")
registry.register(
    PersonalDataKind(
        model=AccessLog,
        label=LOGIN_LOG,
        retention=(
            RetentionRule("login_log", LOGIN_LOG, "axes.AccessLog", "attempt_time", None, 183),
        ),
    )
)
registry.exclude(
    "axes.AccessAttemptExpiration",
    "only the moment a lock-out count expires; removed with its count (cascade)",
)
