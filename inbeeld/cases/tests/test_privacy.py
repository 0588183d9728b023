"""The FG and cases: found by name, exported whole, erased only after restriction while open,
and removed five years after closing by the retention run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.cases import services
from inbeeld.cases.access import cases_visible_to
from inbeeld.cases.models import Case, CasePerson, CaseStatus
from inbeeld.cases.privacy import CASES, CLOSED_CASE_DAYS
from inbeeld.cases.services import CaseInput, PersonInput
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy import subject_rights
from inbeeld.privacy.retention import retention_run
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def named_case(world: World) -> Case:
    case = world_case(world)
    services.case_update(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        version=case.version,
        data=CaseInput(person=PersonInput(name="Demo Dossierpersoon")),
    )
    services.note_add(by=world.user(Role.ZORGCOORDINATOR, "A"), case=case, text="Notitie.")
    return case


def test_the_fg_finds_and_exports_a_case_by_name(world: World) -> None:
    case = named_case(world)
    fg = world.user(Role.FG, "A")
    hits = subject_rights.subject_search(user=fg, name="demo dossierpersoon")
    assert [(hit.kind.key, hit.record.pk) for hit in hits] == [("cases.case", case.pk)]
    exported = CASES.subject.export(case) if CASES.subject else {}
    assert exported["reference"] == case.reference
    assert any(field["text"] == "Demo Dossierpersoon" for field in exported["person"])
    assert exported["notes"][0]["text"] == "Notitie."
    html = render_to_string("cases/privacy_export.html", {"record": exported})
    assert "Demo Dossierpersoon" in html


def test_an_open_case_is_erased_only_after_restriction(world: World) -> None:
    case = named_case(world)
    fg = world.user(Role.FG, "A")
    with pytest.raises(ValidationError):
        subject_rights.record_erase(by=fg, kind=CASES, record=case, reason="Verzoek")
    subject_rights.record_restrict(by=fg, kind=CASES, record=case, reason="Verzoek")
    assert case not in cases_visible_to(world.user(Role.ZORGCOORDINATOR, "A"))
    subject_rights.record_erase(by=fg, kind=CASES, record=case, reason="Verzoek")
    person = CasePerson.objects.get(case=case)
    assert (person.name, person.name_index) == ("", "")
    assert case.notes.get().text == "[erased]"


def test_a_closed_case_goes_five_years_after_closing(world: World) -> None:
    case = named_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    services.case_close(
        by=coordinator, case=case, version=case.version, reason=CaseStatus.CLOSED, outcome="Klaar"
    )
    open_case = world_case(world)
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - timedelta(days=CLOSED_CASE_DAYS - 1)
    )
    retention_run()
    assert Case.objects.filter(pk=case.pk).exists()
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - timedelta(days=CLOSED_CASE_DAYS + 1)
    )
    retention_run()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert Case.objects.filter(pk=open_case.pk).exists()


def test_the_fgs_record_page_shows_a_case_of_her_region_only(world: World) -> None:
    from django.urls import reverse

    from inbeeld.testing.clients import verified_client

    case_a, case_b = named_case(world), world_case(world, "B")
    client = verified_client(world.user(Role.FG, "A"))
    url = "privacy:subject_record"
    own = client.get(reverse(url, kwargs={"kind": "dossiers", "record_id": case_a.pk}))
    assert own.status_code == 200 and case_a.reference in own.content.decode()
    other = client.get(reverse(url, kwargs={"kind": "dossiers", "record_id": case_b.pk}))
    assert other.status_code == 404
