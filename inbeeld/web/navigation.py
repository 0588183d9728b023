"""The menu: one list of pages with the roles that may use them.

A page is shown only to the roles listed; views check the same roles, so the menu never
offers what a role cannot open.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Role
from inbeeld.insight.access import INSIGHT_ROLES
from inbeeld.signals.access import INTAKE_ROLES as SIGNAL_ROLES

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU: tuple[MenuItem, ...] = (
    MenuItem(_("Overview"), "web:home", ALL_ROLES),
    MenuItem(_("Region"), "web:regions", ALL_ROLES),
    MenuItem(_("Signals"), "signals:queue", frozenset(SIGNAL_ROLES)),
    MenuItem(_("New signal"), "signals:create", frozenset(SIGNAL_ROLES)),
    MenuItem(_("Case table"), "signals:case_table", frozenset(SIGNAL_ROLES)),
    MenuItem(_("Tips received"), "signals:tips_received", frozenset({Role.KETENPARTNER})),
    MenuItem(_("Scale estimate"), "insight:overview", INSIGHT_ROLES),
    MenuItem(_("Organisations"), "accounts:organisations", frozenset({Role.BEHEERDER})),
    MenuItem(_("Users"), "accounts:users", frozenset({Role.BEHEERDER})),
    MenuItem(_("Audit trail"), "audit:search", frozenset({Role.FG})),
    MenuItem(_("Retention"), "privacy:retention", frozenset({Role.FG})),
    MenuItem(_("Data-subject requests"), "privacy:subject_search", frozenset({Role.FG})),
    MenuItem(_("My account"), "accounts:account", ALL_ROLES),
)


def menu_for(roles: set[str]) -> list[MenuItem]:
    return [item for item in MENU if item.roles & roles]
