"""Every role × every API endpoint × own/other region (× assigned, for object endpoints).

The matrix is checked against the URL configuration: a new ``v1:`` endpoint without a row in
API_ENDPOINTS fails ``test_every_api_endpoint_has_a_rule``. Callers authenticate as partner
systems do, with a knox token. A record out of reach answers 404 (never the data), and the
refusal is audited like a refused page.

Assignment (need-to-know by name) opens a signal through the API for every role: the API has
no page gate, and an assignment is an explicit, recorded share that follows the person, also
to a signal of another region (see signals/rules.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.accounts.tests.test_authorisation import PUBLIC_OR_LOGIN_FLOW
from inbeeld.accounts.tokens import api_token_create
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.insight.access import FIGURES_ROLES
from inbeeld.signals.access import INTAKE_ROLES
from inbeeld.testing.urls import all_url_names
from inbeeld.testing.world import ALL_ROLES, World

Builder = Callable[[World], dict[str, Any]]


def no_kwargs(w: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Endpoint:
    method: str
    allowed: set[str]  # roles that succeed (on the own region's record, when there is one)
    own: Builder = no_kwargs  # URL arguments naming the own region's record
    other: Builder | None = None  # URL arguments naming region B's record: always 404
    ok: int = 200
    refused: int = 404
    body: Builder | None = None
    # Lists: (own, other) record, and the roles that find the own one in the list.
    listing: Callable[[World], tuple[Any, Any]] | None = None
    listed_for: set[str] = field(default_factory=set)
    # Object endpoints: (own, other) record one can be assigned to, and who then succeeds.
    assignable: Callable[[World], tuple[Any, Any]] | None = None
    assigned_allowed: set[str] = field(default_factory=set)


def signal_body(w: World) -> dict[str, Any]:
    return {"description": "Testsignaal via de API.", "municipality": "GM0664"}


def signals_of_both_regions(w: World) -> tuple[Any, Any]:
    return w.signal("A"), w.signal("B")


def task_on(signal: Any, owner: Any, organisation: Any = None) -> Any:
    from django.utils import timezone

    from inbeeld.tasks.services import task_create

    return task_create(
        subject=signal,
        source="signal.follow_up",
        title="Nabellen",
        due=timezone.localdate(),
        owner=owner,
        owner_organisation=organisation,
    )


def organisation_tasks_of_both_regions(w: World) -> tuple[Any, Any]:
    """Tasks of the personas' own organisation in A (and in B): every persona of A lists A's."""
    return (
        task_on(w.signal("A"), None, w.organisation("A")),
        task_on(w.signal("B"), None, w.organisation("B")),
    )


def status_done(w: World) -> dict[str, Any]:
    return {"status": "done"}


def organisations_of_both_regions(w: World) -> tuple[Any, Any]:
    return w.partner("A"), w.partner("B")


def cases_of_both_regions(w: World) -> tuple[Any, Any]:
    """A case of each region, owned by the organisation of that region's personas."""
    from inbeeld.cases.tests.helpers import world_case

    return world_case(w, "A"), world_case(w, "B")


def case_pk(w: World, letter: str) -> dict[str, Any]:
    from inbeeld.cases.tests.helpers import world_case

    return {"pk": world_case(w, letter).pk}


def case_body(w: World) -> dict[str, Any]:
    return {"municipality": "GM0664", "trafficking_status": "possible"}


def referrals_of_both_regions(w: World) -> tuple[Any, Any]:
    """A referral in each region to the organisation its personas work for."""
    from inbeeld.referrals.tests.helpers import world_referral

    return (
        world_referral(w, "A", to=w.organisation("A")),
        world_referral(w, "B", to=w.organisation("B")),
    )


def referral_pk(w: World, letter: str) -> dict[str, Any]:
    from inbeeld.referrals.tests.helpers import world_referral

    return {"pk": world_referral(w, letter, to=w.organisation(letter)).pk}


def accepted(w: World) -> dict[str, Any]:
    return {"status": "accepted"}


# The people of the case's owner organisation with a signal-handling role see it.
CASE_VIEWERS: set[str] = {Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS}


def actions_of_both_regions(w: World) -> tuple[Any, Any]:
    from inbeeld.casetable.tests.helpers import world_action

    return world_action(w, "A"), world_action(w, "B")


def meetings_of_both_regions(w: World) -> tuple[Any, Any]:
    from inbeeld.casetable.tests.helpers import world_meeting

    return world_meeting(w, "A"), world_meeting(w, "B")


def action_pk(w: World, letter: str) -> dict[str, Any]:
    from inbeeld.casetable.tests.helpers import world_action

    return {"pk": world_action(w, letter).pk}


def registrations_of_both_regions(w: World) -> tuple[Any, Any]:
    """A draft CoMensha registration of a case of each region."""
    from inbeeld.cases.tests.helpers import world_case
    from inbeeld.registration.tests.helpers import draft

    return draft(w, world_case(w, "A"), "A"), draft(w, world_case(w, "B"), "B")


def registration_body(w: World) -> dict[str, Any]:
    from inbeeld.cases.tests.helpers import world_case

    return {"case": world_case(w, "A").pk, "dossier_type": "registration_advice"}


# Shelter places (shelter/rules.py): the region's coordinators and ketenregisseurs.
SHELTER_OVERVIEW: set[str] = {Role.ZORGCOORDINATOR, Role.KETENREGISSEUR}


def shelter_places_of_both_regions(w: World) -> tuple[Any, Any]:
    from inbeeld.shelter.tests.helpers import world_place

    return world_place(w, "A"), world_place(w, "B")


def shelter_place_pk(w: World, letter: str) -> dict[str, Any]:
    from inbeeld.shelter.tests.helpers import world_place

    return {"pk": world_place(w, letter).pk}


# The network (network/rules.py): every colleague lists the region's activities (counts, no
# names); its keepers (ketenregisseur, beheerder) create them and read the reach.
NETWORK_KEEPERS: set[str] = {Role.KETENREGISSEUR, Role.BEHEERDER}


def activities_of_both_regions(w: World) -> tuple[Any, Any]:
    from inbeeld.network.tests.helpers import activity_in

    return activity_in(w, "A"), activity_in(w, "B")


def activity_pk(w: World, letter: str) -> dict[str, Any]:
    from inbeeld.network.tests.helpers import activity_in

    return {"pk": activity_in(w, letter).pk}


def activity_body(w: World) -> dict[str, Any]:
    from inbeeld.network.tests.helpers import municipality_of

    return {
        "kind": "training",
        "title": "Training via de API",
        "starts_at": "2030-01-15T13:30:00+01:00",
        "municipality": municipality_of("A").code,
        "organiser": w.organisation("A").pk,
        "target_groups": ["police"],
    }


# url name → the calls it accepts. Region A's signal was reported by another organisation of
# region A than the persona's, so only the region's zorgcoördinator sees it unassigned.
API_ENDPOINTS: dict[str, list[Endpoint]] = {
    "v1:root": [Endpoint("get", set(ALL_ROLES))],
    "v1:me": [Endpoint("get", set(ALL_ROLES))],
    "v1:signals": [
        Endpoint(
            "get",
            set(ALL_ROLES),
            listing=signals_of_both_regions,
            listed_for={Role.ZORGCOORDINATOR},
        ),
        Endpoint("post", set(INTAKE_ROLES), ok=201, body=signal_body),
    ],
    # The directory: every colleague of a region lists its organisations, never another's.
    "v1:organisations": [
        Endpoint(
            "get",
            set(ALL_ROLES),
            listing=organisations_of_both_regions,
            listed_for=set(ALL_ROLES),
        )
    ],
    "v1:cases": [
        Endpoint("get", set(ALL_ROLES), listing=cases_of_both_regions, listed_for=CASE_VIEWERS),
        Endpoint("post", {Role.ZORGCOORDINATOR}, ok=201, body=case_body),
    ],
    "v1:case": [
        Endpoint(
            "get",
            CASE_VIEWERS,
            own=lambda w: case_pk(w, "A"),
            other=lambda w: case_pk(w, "B"),
        ),
        # No version: the zorgcoördinator gets 400 naming it, everyone else 404 first.
        Endpoint(
            "patch",
            {Role.ZORGCOORDINATOR},
            own=lambda w: case_pk(w, "A"),
            other=lambda w: case_pk(w, "B"),
            ok=400,
        ),
    ],
    # Incoming referrals: those to the caller's organisations, received by its people with a
    # signal-handling role (referrals/rules.py); never another region's.
    "v1:referrals": [
        Endpoint("get", set(ALL_ROLES), listing=referrals_of_both_regions, listed_for=CASE_VIEWERS)
    ],
    "v1:referral": [
        Endpoint(
            "get",
            CASE_VIEWERS,
            own=lambda w: referral_pk(w, "A"),
            other=lambda w: referral_pk(w, "B"),
        ),
        Endpoint(
            "patch",
            CASE_VIEWERS,
            own=lambda w: referral_pk(w, "A"),
            other=lambda w: referral_pk(w, "B"),
            body=accepted,
        ),
    ],
    # The case table's actions owned by the caller's organisations (the personas' own).
    "v1:actions": [
        Endpoint("get", set(ALL_ROLES), listing=actions_of_both_regions, listed_for=set(ALL_ROLES))
    ],
    "v1:action": [
        Endpoint(
            "patch",
            set(ALL_ROLES),
            own=lambda w: action_pk(w, "A"),
            other=lambda w: action_pk(w, "B"),
            body=status_done,
        )
    ],
    # Meetings to which the personas' organisation is invited: its signal-handling roles.
    "v1:meetings": [
        Endpoint("get", set(ALL_ROLES), listing=meetings_of_both_regions, listed_for=CASE_VIEWERS)
    ],
    # My tasks: own and the organisation's; never another region's.
    "v1:tasks": [
        Endpoint(
            "get",
            set(ALL_ROLES),
            listing=organisation_tasks_of_both_regions,
            listed_for=set(ALL_ROLES),
        )
    ],
    # A task of region A's signal, owned by its reporter: who sees the signal sees the task
    # (tasks/rules.py), also when assigned to the signal.
    "v1:task": [
        Endpoint(
            "get",
            {Role.ZORGCOORDINATOR},
            own=lambda w: {"pk": task_on(w.signal("A"), w.reporter("A")).pk},
            other=lambda w: {"pk": task_on(w.signal("B"), w.reporter("B")).pk},
            assignable=signals_of_both_regions,
            assigned_allowed=set(ALL_ROLES),
        ),
        Endpoint(
            "patch",
            {Role.ZORGCOORDINATOR},
            own=lambda w: {"pk": task_on(w.signal("A"), w.reporter("A")).pk},
            other=lambda w: {"pk": task_on(w.signal("B"), w.reporter("B")).pk},
            body=status_done,
            assignable=signals_of_both_regions,
            assigned_allowed=set(ALL_ROLES),
        ),
    ],
    "v1:signal": [
        Endpoint(
            "get",
            {Role.ZORGCOORDINATOR},
            own=lambda w: {"pk": w.signal("A").pk},
            other=lambda w: {"pk": w.signal("B").pk},
            assignable=signals_of_both_regions,
            assigned_allowed=set(ALL_ROLES),
        )
    ],
    # The region's figures (counts only, suppressed as in the council report): the dashboard's
    # roles. Without ?region=&year= they get 400 naming both; another region's figures 404
    # (insight/tests/test_council_report.py).
    "v1:figures": [Endpoint("get", set(FIGURES_ROLES), ok=400)],
    # CoMensha registrations: the case's coordinator alone lists and saves them.
    "v1:registrations": [
        Endpoint(
            "get",
            set(ALL_ROLES),
            listing=registrations_of_both_regions,
            listed_for={Role.ZORGCOORDINATOR},
        ),
        Endpoint("post", {Role.ZORGCOORDINATOR}, ok=201, body=registration_body),
    ],
    # Shelter places: the region's coordinators list their regions', a shelter's own chain
    # partners (region A's staff organisation, made a shelter) list and confirm their own.
    "v1:activities": [
        Endpoint(
            "get",
            set(ALL_ROLES),
            listing=activities_of_both_regions,
            listed_for=set(ALL_ROLES),
        ),
        Endpoint("post", NETWORK_KEEPERS, ok=201, body=activity_body),
    ],
    "v1:activity": [
        Endpoint(
            "get",
            set(ALL_ROLES),
            own=lambda w: activity_pk(w, "A"),
            other=lambda w: activity_pk(w, "B"),
        )
    ],
    "v1:network_reach": [Endpoint("get", NETWORK_KEEPERS)],
    "v1:network_reach_region": [
        Endpoint(
            "get",
            NETWORK_KEEPERS,
            own=lambda w: {"code": World.region_code("A")},
            other=lambda w: {"code": World.region_code("B")},
        )
    ],
    "v1:shelter_capacity": [
        Endpoint(
            "get",
            set(ALL_ROLES),
            listing=shelter_places_of_both_regions,
            listed_for=SHELTER_OVERVIEW | {Role.KETENPARTNER},
        )
    ],
    "v1:shelter_capacity_entry": [
        Endpoint(
            "put",
            {Role.KETENPARTNER},
            own=lambda w: shelter_place_pk(w, "A"),
            other=lambda w: shelter_place_pk(w, "B"),
            body=lambda w: {"occupied": 1},
        )
    ],
}
CASES = [
    (name, index) for name in sorted(API_ENDPOINTS) for index in range(len(API_ENDPOINTS[name]))
]
ASSIGNABLE_CASES = [case for case in CASES if API_ENDPOINTS[case[0]][case[1]].assignable]


def test_every_api_endpoint_has_a_rule() -> None:
    endpoints = {name for name in all_url_names() if name.startswith("v1:")}
    missing = endpoints - set(API_ENDPOINTS)
    assert not missing, f"API endpoints without an authorisation rule: {sorted(missing)}"
    assert not endpoints & set(PUBLIC_OR_LOGIN_FLOW), "API endpoints belong in API_ENDPOINTS"
    assert set(API_ENDPOINTS) <= endpoints, "rows for endpoints that no longer exist"


def test_every_api_endpoint_names_its_rule_per_method(world: World) -> None:
    """Each API view names, for every method it answers, a permission of some rules.py."""
    from django.urls import resolve
    from rules.permissions import perm_exists

    for name, endpoints in API_ENDPOINTS.items():
        view = resolve(url_of(name, endpoints[0].own, world)).func.view_class  # type: ignore[attr-defined]
        declared = getattr(view, "required_permissions", {})
        methods = {m for m in view().allowed_methods if m not in {"OPTIONS", "HEAD"}}
        assert set(declared) == methods, (name, declared, methods)
        for permission in declared.values():
            assert perm_exists(permission), (name, permission)


def _send(token: str | None, endpoint: Endpoint, world: World, url: str) -> Any:
    headers = {"Authorization": f"Token {token}"} if token else {}
    if endpoint.method in {"post", "patch", "put"}:
        body = endpoint.body(world) if endpoint.body else {}
        send = getattr(Client(), endpoint.method)
        return send(url, body, content_type="application/json", headers=headers)
    return Client().get(url, headers=headers)


def url_of(name: str, kwargs: Builder, world: World) -> str:
    return reverse(name, kwargs=kwargs(world))


def listed_ids(response: Any) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "index"), CASES)
def test_api_per_role(world: World, role: str, name: str, index: int) -> None:
    endpoint = API_ENDPOINTS[name][index]
    token = api_token_create(user=world.user(role))
    # The world makes its records when first asked for: ask before the list is read.
    listed = endpoint.listing(world) if endpoint.listing is not None else None
    own = _send(token, endpoint, world, url_of(name, endpoint.own, world))
    assert own.status_code == (endpoint.ok if role in endpoint.allowed else endpoint.refused)
    if endpoint.other is not None:
        other = _send(token, endpoint, world, url_of(name, endpoint.other, world))
        assert other.status_code == 404, "region B's record must not be reachable from region A"
    if listed is not None:
        own_record, other_record = listed
        ids = listed_ids(own)
        assert (own_record.pk in ids) == (role in endpoint.listed_for)
        assert other_record.pk not in ids, "region B's record must not be listed in region A"


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "index"), ASSIGNABLE_CASES)
def test_api_when_assigned(world: World, role: str, name: str, index: int) -> None:
    endpoint = API_ENDPOINTS[name][index]
    assert endpoint.assignable is not None and endpoint.other is not None
    user = world.user(role)
    own_record, other_record = endpoint.assignable(world)
    own_record.assigned_to.add(user)
    other_record.assigned_to.add(user)
    token = api_token_create(user=user)
    expected = endpoint.ok if role in endpoint.assigned_allowed else endpoint.refused
    own = _send(token, endpoint, world, url_of(name, endpoint.own, world))
    other = _send(token, endpoint, world, url_of(name, endpoint.other, world))
    assert (own.status_code, other.status_code) == (expected, expected)


@pytest.mark.parametrize(("name", "index"), CASES)
def test_api_without_credentials_answers_nothing(world: World, name: str, index: int) -> None:
    endpoint = API_ENDPOINTS[name][index]
    response = _send(None, endpoint, world, url_of(name, endpoint.own, world))
    assert response.status_code in {401, 403}
    assert "Testsignaal" not in response.content.decode()


def test_a_refused_api_record_is_audited(world: World) -> None:
    token = api_token_create(user=world.user(Role.KETENPARTNER))
    url = reverse("v1:signal", kwargs={"pk": world.signal("B").pk})
    assert _send(token, API_ENDPOINTS["v1:signal"][0], world, url).status_code == 404
    denied = AuditEntry.objects.filter(action=Action.DENIED).order_by("pk").last()
    assert denied is not None
    assert denied.actor == world.user(Role.KETENPARTNER).username
    assert denied.detail["path"] == url
    assert denied.detail["method"] == "GET"
