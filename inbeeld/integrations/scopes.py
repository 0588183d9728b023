"""The closed list of scopes an organisation API token may hold (docs/api.md).

A scope opens named API operations (URL name and method) and says which role the token holds
for them. A token never sees more than a member of its organisation with that role: its
account holds exactly those roles in exactly that organisation, and every endpoint asks the
same rules (rules.py, access.py) as for a person. The scope is a second gate on top: an
operation no scope of the token opens answers 404, as a missing rule does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Role

# Roles that handle signals in a partner organisation, in the order a token takes them: the
# first of these that a member of the organisation holds.
_HANDLERS = (Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS)


@dataclass(frozen=True)
class Scope:
    name: str
    label: Promise
    roles: tuple[str, ...]  # the first a member of the organisation holds is the token's
    operations: frozenset[tuple[str, str]]  # (URL name in the v1 namespace, HTTP method)


SCOPES: dict[str, Scope] = {
    scope.name: scope
    for scope in (
        Scope(
            "signals:create",
            _("Submit signals"),
            _HANDLERS,
            frozenset({("signals", "POST")}),
        ),
        Scope(
            "signals:read",
            _("Read the signals the organisation may see"),
            _HANDLERS,
            frozenset({("signals", "GET"), ("signal", "GET")}),
        ),
        Scope(
            "referrals:read",
            _("Read referrals to the organisation"),
            _HANDLERS,
            frozenset({("referrals", "GET"), ("referral", "GET")}),
        ),
        Scope(
            "referrals:answer",
            _("Answer referrals to the organisation"),
            _HANDLERS,
            frozenset({("referral", "PATCH")}),
        ),
        Scope(
            "actions:read",
            _("Read case-table actions for the organisation"),
            _HANDLERS,
            frozenset({("actions", "GET")}),
        ),
        Scope(
            "actions:update",
            _("Update case-table actions for the organisation"),
            _HANDLERS,
            frozenset({("action", "PATCH")}),
        ),
        Scope(
            "shelter:read",
            _("Read the organisation's shelter places"),
            (Role.KETENPARTNER,),
            frozenset({("shelter_capacity", "GET")}),
        ),
        Scope(
            "shelter:write",
            _("Confirm the organisation's shelter places"),
            (Role.KETENPARTNER,),
            frozenset({("shelter_capacity_entry", "PUT")}),
        ),
        Scope(
            "registrations:read",
            _("Read CoMensha registrations (care coordination only)"),
            (Role.ZORGCOORDINATOR,),
            frozenset({("registrations", "GET")}),
        ),
    )
}
SCOPE_CHOICES = [(scope.name, scope.label) for scope in SCOPES.values()]

# Operations every organisation token may call: who it is (the API's root and /me/).
ALWAYS = frozenset({("root", "GET"), ("me", "GET")})


def operations_of(scopes: list[str]) -> frozenset[tuple[str, str]]:
    """Every operation the scopes open (unknown names open nothing)."""
    opened: set[tuple[str, str]] = set(ALWAYS)
    for name in scopes:
        scope = SCOPES.get(name)
        if scope is not None:
            opened |= scope.operations
    return frozenset(opened)
