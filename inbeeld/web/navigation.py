"""The menu: one list of pages, each with the permission its view declares.

An item is shown to a user who has that permission (the rule in the app's rules.py), and
the view checks the same permission, so the menu never offers what a user cannot open; a
test holds every item's permission equal to its view's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import User


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    permission: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU: tuple[MenuItem, ...] = (
    MenuItem(_("Overview"), "web:home", "accounts.use_staff_pages"),
    MenuItem(_("Region"), "web:regions", "accounts.use_staff_pages"),
    MenuItem(_("Signals"), "signals:queue", "signals.handle_signals"),
    MenuItem(_("Search"), "signals:search", "signals.search_signals"),
    MenuItem(_("New signal"), "signals:create", "signals.handle_signals"),
    MenuItem(_("Import a list"), "imports:index", "imports.import_lists"),
    MenuItem(_("Cases"), "cases:list", "cases.view_cases"),
    MenuItem(_("Incoming referrals"), "referrals:incoming", "referrals.view_incoming"),
    MenuItem(_("Case table"), "casetable:index", "casetable.view_case_table"),
    MenuItem(_("Case table figures"), "casetable:statistics", "casetable.view_statistics"),
    MenuItem(_("Shelter places"), "shelter:overview", "shelter.view_overview"),
    MenuItem(_("Shelter waiting list"), "placements:waiting", "placements.view_waiting_list"),
    MenuItem(_("Shelter flow"), "placements:flow", "placements.view_waiting_list"),
    MenuItem(_("My shelter places"), "shelter:mine", "shelter.keep_own_places"),
    MenuItem(_("Placement requests"), "placements:offers", "placements.view_offers"),
    MenuItem(_("Placements"), "placements:placements", "placements.view_offers"),
    MenuItem(_("My tasks"), "tasks:mine", "tasks.view_tasks"),
    MenuItem(_("Tips received"), "signals:tips_received", "signals.view_tips_received"),
    MenuItem(_("Scale estimate"), "insight:overview", "insight.view_overview"),
    MenuItem(_("Figures"), "insight:dashboard", "insight.view_dashboard"),
    MenuItem(_("Operational figures"), "insight:operations", "insight.view_operations"),
    MenuItem(_("Network"), "accounts:directory", "accounts.view_network"),
    MenuItem(_("Partners' agenda"), "network:agenda", "network.view_agenda"),
    MenuItem(_("Reach"), "network:reach_index", "network.view_reach"),
    MenuItem(_("Newsletter"), "network:newsletter", "network.compose_newsletter"),
    MenuItem(_("Organisations"), "accounts:organisations", "accounts.administer"),
    MenuItem(_("Users"), "accounts:users", "accounts.administer"),
    MenuItem(_("Shelter locations"), "shelter:locations", "shelter.manage_locations"),
    MenuItem(_("Audit trail"), "audit:search", "audit.view_trail"),
    MenuItem(_("Retention"), "privacy:retention", "privacy.manage_retention"),
    MenuItem(
        _("Data-subject requests"), "privacy:subject_search", "privacy.handle_subject_requests"
    ),
    MenuItem(_("My account"), "accounts:account", "accounts.use_staff_pages"),
)


def menu_for(user: User) -> list[MenuItem]:
    return [item for item in MENU if user.has_perm(item.permission)]
