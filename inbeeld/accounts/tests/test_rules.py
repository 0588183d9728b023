"""The permissions (apps' rules.py) and the list querysets (apps' access.py) say the same.

Rules decide per object; a list needs a database filter. For every role, and for records in
the own and the other region, of the own and another organisation, assigned or not,
restricted or not, ``user.has_perm(...)`` must equal "is in the list", so the two can never
drift apart. (Inactive accounts are left out: they cannot sign in, and the rules refuse them.)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from rules.permissions import permissions

from inbeeld.accounts import access as accounts_access
from inbeeld.accounts.models import Organisation, Role, User
from inbeeld.insight import access as insight_access
from inbeeld.insight.models import EncodedList, LinkageRun
from inbeeld.regions.models import Region
from inbeeld.signals import access as signals_access
from inbeeld.signals.models import Signal, Source
from inbeeld.testing.factories import MembershipFactory, OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db

OWN, OTHER = "VR19", "VR04"
ALL_ROLES = list(Role.values)


@dataclass
class Records:
    own_organisation: Organisation  # the persona's organisation (region OWN)
    neighbour: Organisation  # another organisation in region OWN
    inactive: Organisation  # an inactive organisation in region OWN, the persona is member
    far: Organisation  # an organisation in region OTHER
    reporter_own: User
    reporter_far: User
    without_role: User
    signals: dict[str, Signal]
    lists: list[EncodedList]
    runs: list[LinkageRun]


def _signal(org: Organisation | None, code: str, *, restricted: bool = False) -> Signal:
    return Signal.objects.create(
        region=region(code),
        description="Testsignaal.",
        source=Source.PARTNER if org else Source.PUBLIC,
        source_organisation=org,
        restricted=restricted,
        receipt_code=secrets.token_hex(6).upper(),
    )


def _list(org: Organisation, by: User, name: str) -> EncodedList:
    return EncodedList.objects.create(
        region=org.region,
        organisation=org,
        year=2025,
        list_name=name,
        content="encoded",
        record_count=1,
        schema_id="test",
        key_fingerprint="0" * 16,
        uploaded_by=by,
    )


def _run(code: str, by: User) -> LinkageRun:
    return LinkageRun.objects.create(
        region=region(code),
        year=2025,
        created_by=by,
        sources=["politie", "opvang"],
        threshold=0.8,
        threshold_estimated=True,
        histories=[[[1, 0], 5]],
        estimation=None,
    )


@pytest.fixture
def records(db: Any) -> Records:
    own = OrganisationFactory.create(region=region(OWN), name="Eigen organisatie")
    neighbour = OrganisationFactory.create(region=region(OWN), name="Buur")
    inactive = OrganisationFactory.create(region=region(OWN), name="Opgeheven", active=False)
    far = OrganisationFactory.create(region=region(OTHER), name="Ver weg")
    reporter_own = staff_user(role=Role.KETENPARTNER, organisation=neighbour)
    reporter_far = staff_user(role=Role.KETENPARTNER, organisation=far)
    signals = {
        "own organisation": _signal(own, OWN),
        "own region": _signal(neighbour, OWN),
        "meldpunt, own region": _signal(None, OWN),
        "other region": _signal(far, OTHER),
        "assigned, own region": _signal(neighbour, OWN),
        "assigned, other region": _signal(far, OTHER),
        "restricted, own organisation": _signal(own, OWN, restricted=True),
        "restricted, assigned": _signal(neighbour, OWN, restricted=True),
        "inactive own organisation": _signal(inactive, OWN),
    }
    lists = [
        _list(own, reporter_own, "eigen"),
        _list(neighbour, reporter_own, "buur"),
        _list(inactive, reporter_own, "opgeheven"),
        _list(far, reporter_far, "ver"),
    ]
    return Records(
        own,
        neighbour,
        inactive,
        far,
        reporter_own,
        reporter_far,
        User.objects.create(username="zonder.rol"),
        signals,
        lists,
        [_run(OWN, reporter_own), _run(OTHER, reporter_far)],
    )


def persona(role: str, records: Records) -> User:
    """A user with ``role`` in the own organisation, also a member of an inactive one."""
    user = staff_user(role=role, organisation=records.own_organisation, username=f"p.{role}")
    MembershipFactory.create(user=user, organisation=records.inactive, role=role)
    for name in ("assigned, own region", "assigned, other region", "restricted, assigned"):
        records.signals[name].assigned_to.add(user)
    return user


def agree(user: User, permission: str, candidates: list[Any], listed: Any) -> set[str]:
    """Checks has_perm against the list for every candidate; returns those permitted."""
    in_list = set(listed)
    permitted = set()
    for candidate in candidates:
        allowed = user.has_perm(permission, candidate)
        assert allowed == (candidate in in_list), f"{permission} drifts for {candidate!r}"
        if allowed:
            permitted.add(str(candidate.pk))
    return permitted


# The decision, written out: which signals a persona of the role may see.
SEEN_BY_EVERYONE = {
    "own organisation",
    "inactive own organisation",
    "assigned, own region",
    "assigned, other region",
}
SEEN_BY_COORDINATOR = SEEN_BY_EVERYONE | {"own region", "meldpunt, own region"}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_view_signal_is_signals_visible_to(records: Records, role: str) -> None:
    user = persona(role, records)
    names = {str(s.pk): name for name, s in records.signals.items()}
    seen = agree(
        user,
        "signals.view_signal",
        list(records.signals.values()),
        signals_access.signals_visible_to(user),
    )
    expected = SEEN_BY_COORDINATOR if role == Role.ZORGCOORDINATOR else SEEN_BY_EVERYONE
    assert {names[pk] for pk in seen} == expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_regions_coordinator_triages_and_never_a_restricted_signal(
    records: Records, role: str
) -> None:
    user = persona(role, records)
    may = {name for name, s in records.signals.items() if signals_access.may_triage(user, s)}
    if role == Role.ZORGCOORDINATOR:
        assert may == {
            "own organisation",
            "own region",
            "meldpunt, own region",
            "assigned, own region",
            "inactive own organisation",
        }
    else:
        assert may == set()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_insight_permissions_are_the_insight_lists(records: Records, role: str) -> None:
    user = persona(role, records)
    lists = agree(
        user,
        "insight.view_encodedlist",
        records.lists,
        insight_access.encoded_lists_visible_to(user),
    )
    runs = agree(
        user, "insight.view_linkagerun", records.runs, insight_access.linkage_runs_visible_to(user)
    )
    regions = agree(
        user,
        "insight.add_linkagerun",
        [region(OWN), region(OTHER)],
        insight_access.analysis_regions(user),
    )
    organisations = [records.own_organisation, records.neighbour, records.inactive, records.far]
    uploads = agree(
        user, "insight.add_encodedlist", organisations, insight_access.upload_organisations(user)
    )
    analyses = role in insight_access.ANALYSE_ROLES
    uploader = role in insight_access.UPLOAD_ROLES
    assert runs == ({str(records.runs[0].pk)} if analyses else set())
    assert regions == ({str(region(OWN).pk)} if analyses else set())
    assert uploads == ({str(records.own_organisation.pk)} if uploader else set())
    expected_lists = {str(lst.pk) for lst in records.lists[:3]} if analyses else set()
    if uploader:
        expected_lists.add(str(records.lists[0].pk))
    assert lists == expected_lists


@pytest.mark.parametrize("role", ALL_ROLES)
def test_account_permissions_are_the_administration_lists(records: Records, role: str) -> None:
    user = persona(role, records)
    organisations = [records.own_organisation, records.neighbour, records.inactive, records.far]
    managed = agree(
        user,
        "accounts.manage_organisation",
        organisations,
        accounts_access.organisations_administered_by(user),
    )
    accounts = agree(
        user,
        "accounts.manage_user",
        [records.reporter_own, records.reporter_far, records.without_role, user],
        accounts_access.users_administered_by(user),
    )
    both = [region(OWN), region(OTHER)]
    administered = agree(
        user, "accounts.manage_region", both, accounts_access.administered_regions(user)
    )
    seen_regions = agree(user, "regions.view_region", both, accounts_access.regions_where(user))
    intake = agree(
        user, "signals.add_signal", organisations, signals_access.intake_organisations(user)
    )
    beheerder = role == Role.BEHEERDER
    assert administered == ({str(region(OWN).pk)} if beheerder else set())
    assert seen_regions == {str(region(OWN).pk)}
    assert managed == ({str(o.pk) for o in organisations[:3]} if beheerder else set())
    # The account without a role has no home organisation either: no administrator has it.
    in_own_region = {str(records.reporter_own.pk), str(user.pk)}
    assert accounts == (in_own_region if beheerder else set())
    own = {str(records.own_organisation.pk)}
    assert intake == (own if role in signals_access.INTAKE_ROLES else set())


@pytest.mark.parametrize("role", ALL_ROLES)
def test_network_permissions_are_the_network_lists(records: Records, role: str) -> None:
    """Every colleague of a region sees its network; the ketenregisseur and the beheerder
    keep it. Nobody sees or keeps another region's."""
    user = persona(role, records)
    both = [region(OWN), region(OTHER)]
    organisations = [records.own_organisation, records.neighbour, records.inactive, records.far]
    seen = agree(user, "accounts.view_network_of", both, accounts_access.network_regions(user))
    kept = agree(
        user,
        "accounts.manage_network_of",
        both,
        accounts_access.network_regions(user, need="manage"),
    )
    seen_organisations = agree(
        user,
        "accounts.view_network_of",
        organisations,
        accounts_access.network_organisations(user),
    )
    kept_organisations = agree(
        user,
        "accounts.manage_network_of",
        organisations,
        accounts_access.network_organisations(user, need="manage"),
    )
    keeper = role in {Role.KETENREGISSEUR, Role.BEHEERDER}
    in_own_region = {str(o.pk) for o in organisations[:3]}
    assert seen == {str(region(OWN).pk)}
    assert kept == ({str(region(OWN).pk)} if keeper else set())
    assert seen_organisations == in_own_region
    assert kept_organisations == (in_own_region if keeper else set())


# Accounts that work in several regions, or in none. Which administrator manages which:
# one of region OWN ("A"), of region OTHER ("B"), of both ("A+B"). An administrator must run
# every region of the account; without a role, the home organisation's region decides.
ACCOUNT_SHAPES: dict[str, tuple[tuple[str, ...], str | None]] = {
    # name: (regions of its roles, region of its home organisation)
    "role in A": ((OWN,), OWN),
    "role in B": ((OTHER,), OTHER),
    "roles in A and B": ((OWN, OTHER), OWN),
    "roles in A and B, home in B": ((OWN, OTHER), OTHER),
    "role in A, home in B": ((OWN,), OTHER),
    "no role, home in A": ((), OWN),
    "no role, home in B": ((), OTHER),
    "no role, no home": ((), None),
}
MANAGED_BY: dict[str, set[str]] = {
    "A": {"role in A", "role in A, home in B", "no role, home in A"},
    "B": {"role in B", "no role, home in B"},
    "A+B": set(ACCOUNT_SHAPES) - {"no role, no home"},
}


def shaped_account(name: str, records: Records) -> User:
    regions, home = ACCOUNT_SHAPES[name]
    organisations = {OWN: records.neighbour, OTHER: records.far}
    account = User.objects.create(
        username=name.replace(" ", ".").replace(",", ""),
        organisation=organisations[home] if home else None,
    )
    for code in regions:
        MembershipFactory.create(user=account, organisation=organisations[code], role=Role.FG)
    return account


@pytest.mark.parametrize("administrator", sorted(MANAGED_BY))
def test_manage_user_is_users_administered_by_across_regions(
    records: Records, administrator: str
) -> None:
    beheerder = User.objects.create(username=f"beheerder.{administrator}")
    for code in {"A": [OWN], "B": [OTHER], "A+B": [OWN, OTHER]}[administrator]:
        organisation = records.own_organisation if code == OWN else records.far
        MembershipFactory.create(user=beheerder, organisation=organisation, role=Role.BEHEERDER)
    accounts = {name: shaped_account(name, records) for name in ACCOUNT_SHAPES}
    managed = agree(
        beheerder,
        "accounts.manage_user",
        list(accounts.values()),
        accounts_access.users_administered_by(beheerder),
    )
    names = {str(account.pk): name for name, account in accounts.items()}
    assert {names[pk] for pk in managed} == MANAGED_BY[administrator]


# Page-level permissions (no object): the roles that hold each, as the pages' gates say.
PAGE_PERMISSIONS: dict[str, set[str]] = {
    "integrations.manage": {Role.BEHEERDER},
    "signals.handle_signals": set(signals_access.INTAKE_ROLES),
    "signals.add_signal": set(signals_access.INTAKE_ROLES),
    "signals.triage_signals": set(signals_access.TRIAGE_ROLES),
    "signals.view_tips_received": {Role.KETENPARTNER},
    "signals.view_own_reports": {Role.KETENPARTNER},
    "signals.export_queue": set(signals_access.TRIAGE_ROLES),
    "signals.search_signals": set(signals_access.INTAKE_ROLES),
    "signals.list_signals": set(Role.values),
    "accounts.use_staff_pages": set(Role.values),
    "insight.upload_lists": set(insight_access.UPLOAD_ROLES),
    "insight.link_lists": set(insight_access.ANALYSE_ROLES),
    "privacy.handle_subject_requests": {Role.FG},
    "insight.view_overview": set(insight_access.INSIGHT_ROLES),
    "insight.view_key_figures": set(insight_access.FIGURES_ROLES),
    "insight.view_dashboard": set(insight_access.FIGURES_ROLES),
    "insight.view_operations": set(insight_access.OPERATIONS_ROLES),
    "insight.add_encodedlist": set(insight_access.UPLOAD_ROLES),
    "accounts.administer": {Role.BEHEERDER},
    "audit.view_trail": {Role.FG},
    "privacy.manage_retention": {Role.FG},
    "accounts.view_network": set(Role.values),
    "accounts.manage_network": {Role.KETENREGISSEUR, Role.BEHEERDER},
    "network.view_agenda": set(Role.values),
    "network.manage_activities": {Role.KETENREGISSEUR, Role.BEHEERDER},
    "network.view_reach": {Role.KETENREGISSEUR, Role.BEHEERDER},
    # Partners' lists (imports/rules.py): signals as who enters signals; registrations as
    # who registers with CoMensha (the zorgcoördinator).
    "imports.import_signals": set(signals_access.INTAKE_ROLES),
    "imports.import_registrations": {Role.ZORGCOORDINATOR},
    "imports.import_lists": set(signals_access.INTAKE_ROLES),
    "network.compose_newsletter": {Role.KETENREGISSEUR, Role.BEHEERDER},
}
OBJECT_PERMISSIONS = {
    "signals.view_signal",
    "signals.triage_signal",
    "insight.view_encodedlist",
    "insight.view_linkagerun",
    "insight.view_dashboard_of",
    "insight.view_operations_of",
    "insight.add_linkagerun",
    "accounts.manage_region",
    "accounts.manage_organisation",
    "accounts.manage_user",
    "regions.view_region",
    "accounts.view_network_of",
    "accounts.manage_network_of",
    "network.view_activity",
    "network.manage_activity",
    "network.view_reach_of",
    "integrations.manage_of",
    "network.compose_newsletter_of",
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_page_permissions_follow_the_role(records: Records, role: str) -> None:
    user = persona(role, records)
    held = {name for name in PAGE_PERMISSIONS if user.has_perm(name)}
    assert held == {name for name, roles in PAGE_PERMISSIONS.items() if role in roles}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_regions_operational_figures_are_the_operations_regions(
    records: Records, role: str
) -> None:
    user = persona(role, records)
    for place in Region.objects.filter(code__in=[OWN, OTHER]):
        allowed = user.has_perm("insight.view_operations_of", place)
        assert allowed == insight_access.operations_regions(user).filter(pk=place.pk).exists()
        assert allowed == (role in insight_access.OPERATIONS_ROLES and place.code == OWN)


def test_every_permission_is_tested_here() -> None:
    ours = {name for name in permissions if name.split(".")[0] in _OUR_APPS}
    assert ours == set(PAGE_PERMISSIONS) | OBJECT_PERMISSIONS


# Pages about the signed-in person themselves (the overview, the account, recovery codes).
OWN_PAGES = {"accounts.use_staff_pages"}

_OUR_APPS = {
    "accounts",
    "audit",
    "imports",
    "insight",
    "integrations",
    "network",
    "privacy",
    "regions",
    "signals",
    "web",
}


def test_an_anonymous_visitor_and_an_account_without_role_get_nothing(records: Records) -> None:
    everything: list[Any] = [
        *records.signals.values(),
        *records.lists,
        *records.runs,
        records.own_organisation,
        records.reporter_own,
        *Region.objects.filter(code__in=[OWN, OTHER]),
    ]
    for user in (AnonymousUser(), records.without_role):
        for name in [*PAGE_PERMISSIONS, *OBJECT_PERMISSIONS]:
            if name in OWN_PAGES and user is records.without_role:
                continue  # an account's own pages: it sees that it holds no role yet
            assert not user.has_perm(name), name
            assert not any(user.has_perm(name, record) for record in everything), name


def test_a_second_membership_in_another_region_opens_that_region_too(records: Records) -> None:
    user = persona(Role.KETENPARTNER, records)
    far_signal = records.signals["other region"]
    assert not user.has_perm("signals.view_signal", far_signal)
    MembershipFactory.create(user=user, organisation=records.far, role=Role.ZORGCOORDINATOR)
    assert user.has_perm("signals.view_signal", far_signal)
    assert user.has_perm("signals.triage_signal", far_signal)
    assert far_signal in signals_access.signals_visible_to(user)


@pytest.mark.django_db
def test_a_superuser_gets_no_more_than_the_rules_give() -> None:
    from inbeeld.accounts.models import User

    root = User.objects.create_superuser("root.test", password="x" * 20)
    assert not root.has_perm("signals.add_signal")
    assert not root.has_perm("audit.view_trail")
