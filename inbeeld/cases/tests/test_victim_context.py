"""How the exploitation worked, as HTCDS codes on the case: sectors, methods of recruitment and
control, websites and apps, the relationship to the recruiter and the age at exploitation.
Set on the page and through the API, refused naming the field, shown in Dutch, exported."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role, User
from inbeeld.accounts.tokens import api_token_create
from inbeeld.cases import services
from inbeeld.cases.models import Case
from inbeeld.cases.privacy import CASES
from inbeeld.cases.services import EventInput, PersonInput, case_input_of
from inbeeld.cases.tests.helpers import world_case
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db

CONTEXT = {
    "sectors": ["prostitution", "hospitality"],
    "recruitment_methods": ["social_networks"],
    "control_methods": ["debt_bondage", "withholds_documents"],
    "recruitment_channels": ["instagram"],
    "recruiter_relationship": "intimate_partner",
    "age_at_exploitation": 16,
}


def update(world: World, case: Case, **changes: Any) -> Case:
    data = replace(case_input_of(case), **changes)
    return services.case_update(
        by=world.user(Role.ZORGCOORDINATOR, "A"), case=case, version=case.version, data=data
    )


def refusal(world: World, case: Case, **changes: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        update(world, case, **changes)
    return refused.value.message_dict


def test_the_context_is_kept_sorted_once_and_read_back_as_input(world: World) -> None:
    case = update(world, world_case(world), **{**CONTEXT, "sectors": ["prostitution"] * 2})
    case.refresh_from_db()
    assert case.sectors == ["prostitution"]
    assert case.control_methods == ["debt_bondage", "withholds_documents"]
    assert case.recruiter_relationship == "intimate_partner"
    assert case.age_at_exploitation == 16 and case.minor_at_exploitation
    again = case_input_of(case)
    assert list(again.recruitment_channels) == ["instagram"]
    assert again.age_at_exploitation == 16


def test_unknown_codes_and_impossible_ages_are_refused_naming_the_field(world: World) -> None:
    case = world_case(world)
    errors = refusal(
        world,
        case,
        sectors=["prostitution", "slavery"],
        control_methods=["mind_control"],
        recruitment_channels=["myspace"],
        recruiter_relationship="neighbour",
        age_at_exploitation=140,
    )
    assert "slavery" in errors["sectors"][0] and "prostitution" not in errors["sectors"][0]
    assert "mind_control" in errors["control_methods"][0]
    assert "myspace" in errors["recruitment_channels"][0]
    assert set(errors) == {
        "sectors",
        "control_methods",
        "recruitment_channels",
        "recruiter_relationship",
        "age_at_exploitation",
    }
    case.refresh_from_db()
    assert case.sectors == [] and case.age_at_exploitation is None  # nothing half-written


def test_an_age_at_exploitation_above_todays_age_is_refused(world: World) -> None:
    case = world_case(world)
    born = timezone.localdate().replace(year=timezone.localdate().year - 20, month=1, day=1)
    errors = refusal(world, case, person=PersonInput(date_of_birth=born), age_at_exploitation=25)
    assert list(errors) == ["age_at_exploitation"]
    update(world, case, person=PersonInput(date_of_birth=born), age_at_exploitation=19)


def test_without_an_age_it_follows_from_birth_and_the_first_exploitation(world: World) -> None:
    case = world_case(world)
    exploited = [
        EventInput(kind="recruitment", country="BG", start=date(2019, 1, 1)),
        EventInput(kind="exploitation", country="BE", start=date(2022, 6, 1)),
        EventInput(kind="exploitation", country="DE", start=date(2021, 3, 1)),
    ]
    person = PersonInput(date_of_birth=date(2005, 5, 20))
    case = update(world, case, person=person, events=exploited)
    assert case.age_at_exploitation == 15  # on 1 March 2021, the earlier exploitation
    case = update(world, case, age_at_exploitation=17)
    assert case.age_at_exploitation == 17  # a given age is kept


def test_the_coordinator_sets_the_context_on_the_edit_page_in_dutch(world: World) -> None:
    case = world_case(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    url = reverse("cases:edit", args=[case.pk])
    form = client.get(url).content.decode()
    assert "Hoe de uitbuiting werkte" in form and "Schuldslavernij" in form
    response = client.post(
        url,
        {
            "version": case.version,
            "trafficking_status": "presumed",
            **{key: value for key, value in CONTEXT.items()},
        },
    )
    assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Prostitutie" in page and "Horeca" in page
    assert "Inhouden van identiteitsbewijzen" in page
    assert "(Ex-)partner of lover" in page
    assert "16 (minderjarig ten tijde van de uitbuiting)" in page


def test_a_bad_age_on_the_page_is_refused_naming_the_field(world: World) -> None:
    case = world_case(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {"version": case.version, "trafficking_status": "presumed", "age_at_exploitation": "-3"},
    )
    assert response.status_code == 200
    assert 'href="#id_age_at_exploitation"' in response.content.decode()
    case.refresh_from_db()
    assert case.age_at_exploitation is None


def api(user: User, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"Token {api_token_create(user=user)}"}
    if method == "get":
        return Client().get(url, headers=headers)
    send = Client().post if method == "post" else Client().patch
    return send(url, body or {}, content_type="application/json", headers=headers)


def test_the_api_takes_and_gives_the_context(world: World) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    created = api(coordinator, "post", reverse("v1:cases"), {"municipality": "GM0664", **CONTEXT})
    assert created.status_code == 201, created.json()
    url = reverse("v1:case", args=[created.json()["id"]])
    body = api(coordinator, "get", url).json()
    assert body["sectors"] == ["hospitality", "prostitution"]
    assert body["recruiter_relationship"] == "intimate_partner"
    assert body["age_at_exploitation"] == 16
    changed = api(
        coordinator, "patch", url, {"version": body["version"], "control_methods": ["other"]}
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["control_methods"] == ["other"]
    assert changed.json()["sectors"] == ["hospitality", "prostitution"]  # left out: kept


def test_the_api_refuses_a_bad_code_naming_the_field(world: World) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    response = api(
        coordinator,
        "post",
        reverse("v1:cases"),
        {"municipality": "GM0664", "sectors": ["slavery"], "age_at_exploitation": 101},
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"sectors", "age_at_exploitation"}
    assert not Case.objects.exists()


def test_the_access_export_words_the_codes(world: World) -> None:
    case = update(world, world_case(world), **CONTEXT)
    exported = CASES.subject.export(case) if CASES.subject else {}
    texts = {field["name"]: field["text"] for field in exported["fields"]}
    assert texts["control_methods"] == "Schuldslavernij; Inhouden van identiteitsbewijzen"
    assert texts["recruitment_channels"] == "Instagram"
    assert texts["recruiter_relationship"] == "(Ex-)partner of lover"
