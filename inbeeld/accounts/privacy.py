"""Accounts' registration with privacy/ (registry.py): what django-axes keeps about logins,
and the network's contact persons and covenant signatures.

django-axes (the lock-out on password guessing, settings.AXES_*) keeps user names, IP
addresses and the browser of login attempts in three tables, each with its own use: the
counts behind the lock-out, the log of failed logins, and the log of logins.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import ContactPerson, CovenantSignature
from inbeeld.privacy.registry import Kept, PersonalDataKind, Related, registry
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

# --- The regional network: contact persons and the signatories of the covenant ---------------
# Work contact details of professionals, kept for colleagues to find each other. A contact
# person who left is of no use to the network, but for a while colleagues still ask "who was
# our contact in Kapelle when this signal came in?" and the case table's minutes name them:
# a year after the last day covers a yearly cycle of meetings and reports, then the entry goes.
CONTACTS = _("Contact persons of the network (name, function, work phone and e-mail)")
registry.register(
    PersonalDataKind(
        model=ContactPerson,
        label=CONTACTS,
        about=_(
            "Professionals of partner organisations, with or without an InBeeld account. They "
            "see and correct their entry through the ketenregisseur, who removes it at once "
            "when they ask (AVG art. 15-17)."
        ),
        retention=(
            RetentionRule(
                "contact_person",
                CONTACTS,
                "accounts.ContactPerson",
                "active_until",
                "organisation__region",
                365,
            ),
        ),
        kept=(
            Kept(
                _("Kept while the person is the contact (no last day filled in yet)."),
                _("Current contact persons"),
            ),
        ),
    )
)
SIGNATURES = _("Signatures of the covenant (name and function of who signed)")
registry.register(
    PersonalDataKind(
        model=CovenantSignature,
        label=SIGNATURES,
        kept=(
            Kept(
                _(
                    "Kept with the covenant: a signature is the proof on which shares on the "
                    "covenant basis rest, for as long as the records of those shares are kept."
                )
            ),
        ),
    )
)
