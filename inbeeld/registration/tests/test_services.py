"""The registration's rules: prefill from the case, the legal basis and the minors rule,
bad input refused naming the field, versions and corrections, the dossier type's history;
everything audited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.models import CaseEvent, CasePerson, EventKind
from inbeeld.cases.tests.helpers import world_case
from inbeeld.registration.models import (
    DossierTypeChange,
    Registration,
    RegistrationStatus,
)
from inbeeld.registration.services import (
    prefill,
    registration_acknowledge,
    registration_download,
    registration_save,
)
from inbeeld.registration.tests.helpers import complete_input, coordinator, draft
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    # The messages as a Dutch user reads them, whatever another test left active.
    with translation.override("nl"):
        yield


def refused(world: World, case: object, **changes: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        draft(world, case, **changes)  # type: ignore[arg-type]
    return caught.value.message_dict


def test_the_prefill_comes_from_the_case_its_person_and_its_exploitation_event(
    world: World,
) -> None:
    case = world_case(world, "A")
    case.sectors = ["hospitality"]
    case.control_methods = ["debt_bondage", "withholds_documents"]
    case.exploitation_forms = ["labour"]
    case.save()
    CasePerson.objects.update_or_create(
        case=case,
        defaults={"date_of_birth": "2010-01-15", "gender": "female", "nationalities": ["RO"]},
    )
    CaseEvent.objects.create(case=case, kind=EventKind.EXPLOITATION, country="BE")
    data = prefill(case)
    assert data.police_unit == "zeeland_west_brabant"  # Zeeland (VR19)
    assert data.reporter_type == "care_coordination"
    assert data.sectors == ["hospitality"]
    assert data.control_methods == ["debt_bondage", "withholds_documents"]
    assert data.exploitation_forms == ["labour"]
    assert data.nationalities == ["RO"] and data.gender == "female"
    assert data.minority == "minor" and data.age is not None and data.age < 18
    assert data.place_country == "BE" and data.place_municipality is None
    assert data.registration_date == timezone.localdate()


def test_a_draft_is_saved_and_audited_and_sending_marks_it_sent(world: World) -> None:
    case = world_case(world, "A")
    registration = draft(world, case)
    assert registration.status == RegistrationStatus.DRAFT and registration.version == 1
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="registration.registration"
    ).exists()
    name, text = registration_download(by=coordinator(world), registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SENT and registration.transport == "file"
    assert name.endswith("-v1.csv") and "GM0664" in text
    assert (
        AuditEntry.objects.filter(
            action=Action.SHARE, object_id=str(registration.pk), purpose="sharing"
        ).count()
        == 1
    )
    # A second download does not send again, and is audited once more (as an export).
    registration_download(by=coordinator(world), registration=registration)
    assert (
        AuditEntry.objects.filter(action=Action.EXPORT, object_id=str(registration.pk)).count() == 1
    )


def test_obligation_is_only_for_police_kmar_and_nla(world: World) -> None:
    case = world_case(world, "A")
    errors = refused(world, case, reporter_type="care_coordination", legal_basis="obligation")
    assert "Alleen de politie, de KMar en de NLA" in errors["legal_basis"][0]
    registration = draft(world, case, reporter_type="kmar", legal_basis="obligation")
    # The obligation needs no consent: nothing of one is kept.
    assert registration.consent_signed_by == "" and registration.consent_date is None


@pytest.mark.parametrize(
    ("age", "signer", "field", "words"),
    [
        (15, "person", "consent_signed_by", "onder de 16 tekenen de ouders of de voogd"),
        (16, "parent_or_guardian", "consent_signed_by", "van 16 of 17 tekent de toestemming zelf"),
        (17, "parent_or_guardian", "consent_signed_by", "van 16 of 17 tekent de toestemming zelf"),
        (None, "person", "age", "hangt daarvan af wie de toestemming tekent"),
    ],
)
def test_the_minors_rule_refuses_the_wrong_signer_naming_the_field(
    world: World, age: int | None, signer: str, field: str, words: str
) -> None:
    case = world_case(world, "A")
    errors = refused(world, case, age=age, minority="minor", consent_signed_by=signer)
    assert list(errors) == [field]
    assert words in errors[field][0]


@pytest.mark.parametrize(
    ("age", "signer"), [(15, "parent_or_guardian"), (16, "person"), (17, "person")]
)
def test_the_minors_rule_accepts_the_right_signer(world: World, age: int, signer: str) -> None:
    case = world_case(world, "A")
    registration = draft(world, case, age=age, minority="minor", consent_signed_by=signer)
    registration_download(by=coordinator(world), registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SENT


def test_an_adult_signs_themselves(world: World) -> None:
    errors = refused(world, world_case(world, "A"), consent_signed_by="parent_or_guardian")
    assert errors["consent_signed_by"] == ["Een meerderjarige tekent de toestemming zelf."]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sectors": ["casino"]}, "sectors"),
        ({"control_methods": ["mind_control"]}, "control_methods"),
        ({"recruitment_methods": ["carrier_pigeon"]}, "recruitment_methods"),
        ({"exploitation_forms": ["piracy"]}, "exploitation_forms"),
        ({"nationalities": ["XX"]}, "nationalities"),
        ({"police_unit": "atlantis"}, "police_unit"),
        ({"dossier_type": "everything"}, "dossier_type"),
        ({"reporter_type": "neighbour"}, "reporter_type"),
        ({"gender": "x"}, "gender"),
        ({"registration_date": timezone.localdate() + timedelta(days=2)}, "registration_date"),
        ({"consent_date": timezone.localdate() + timedelta(days=2)}, "consent_date"),
        ({"age": 101}, "age"),
        ({"age": 12, "minority": "adult"}, "minority"),
        ({"age": 30, "minority": "minor"}, "minority"),
        ({"place_country": "BE"}, "place_country"),  # with a municipality too
        ({"place_municipality": None, "place_country": "NL"}, "place_country"),
        ({"place_municipality": None, "place_country": "QQ"}, "place_country"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    world: World, changes: dict[str, object], field: str
) -> None:
    errors = refused(world, world_case(world, "A"), **changes)
    assert field in errors
    assert not Registration.objects.exists()


def test_sending_needs_a_legal_basis_and_the_plaats_delict(world: World) -> None:
    case = world_case(world, "A")
    registration = draft(
        world, case, legal_basis="", place_municipality=None, exploitation_forms=[]
    )
    with pytest.raises(ValidationError) as caught:
        registration_download(by=coordinator(world), registration=registration)
    errors = caught.value.message_dict
    assert "Zonder grondslag kan de aanmelding niet worden verstuurd" in errors["legal_basis"][0]
    assert "plaats delict" in errors["place_municipality"][0]
    assert "exploitation_forms" in errors
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DRAFT
    assert not AuditEntry.objects.filter(action=Action.SHARE).exists()


def test_consent_needs_who_signed_when_and_whether_a_minor(world: World) -> None:
    case = world_case(world, "A")
    registration = draft(
        world, case, consent_signed_by="", consent_date=None, minority="", age=None
    )
    with pytest.raises(ValidationError) as caught:
        registration_download(by=coordinator(world), registration=registration)
    assert {"consent_signed_by", "consent_date", "minority"} <= set(caught.value.message_dict)


def test_a_correction_is_a_new_version_and_replaces_the_sent_one(world: World) -> None:
    case = world_case(world, "A")
    first = draft(world, case)
    registration_download(by=coordinator(world), registration=first)
    registration_acknowledge(by=coordinator(world), registration=first, reference="CM-1")
    second = registration_save(
        by=coordinator(world),
        case=case,
        data=complete_input(case, dossier_type="registration_shelter"),
    )
    assert second.version == 2 and second.lineage == first.lineage and second.is_draft
    first.refresh_from_db()
    assert first.status == RegistrationStatus.ACKNOWLEDGED  # until the correction is sent
    registration_download(by=coordinator(world), registration=second)
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CORRECTED
    history = list(
        DossierTypeChange.objects.filter(registration__case=case).values_list(
            "dossier_type", flat=True
        )
    )
    assert history == ["registration", "registration_shelter"]


def test_saving_the_draft_again_changes_it_and_keeps_the_type_history(world: World) -> None:
    case = world_case(world, "A")
    first = draft(world, case)
    again = registration_save(
        by=coordinator(world),
        case=case,
        data=complete_input(case, dossier_type="registration_advice"),
    )
    assert again.pk == first.pk and Registration.objects.count() == 1
    assert DossierTypeChange.objects.count() == 2
    entry = AuditEntry.objects.filter(
        action=Action.UPDATE, object_type="registration.registration", object_id=str(first.pk)
    ).get()
    assert entry.detail["changed"] == ["dossier_type"]


def test_only_a_sent_version_is_acknowledged(world: World) -> None:
    registration = draft(world, world_case(world, "A"))
    with pytest.raises(ValidationError) as caught:
        registration_acknowledge(by=coordinator(world), registration=registration)
    assert "status" in caught.value.message_dict


def test_a_closed_case_takes_no_registration(world: World) -> None:
    from inbeeld.cases.services import case_close

    case = world_case(world, "A")
    case = case_close(
        by=coordinator(world), case=case, version=case.version, reason="closed", outcome="Afgerond."
    )
    errors = refused(world, case)
    assert "case" in errors


def test_the_prefill_without_person_or_events_is_still_a_valid_draft(world: World) -> None:
    case = world_case(world, "A")
    registration = registration_save(by=coordinator(world), case=case, data=prefill(case))
    assert registration.is_draft
    assert replace(prefill(case)).police_unit == registration.police_unit


def test_consent_goes_into_the_case_consents_and_a_withdrawal_stops_sending(world: World) -> None:
    from inbeeld.privacy.consent import consent_withdraw, consents_for
    from inbeeld.privacy.models import ConsentScope

    case = world_case(world, "A")
    first = draft(world, case)
    registration_download(by=coordinator(world), registration=first)
    consent = consents_for(case).get(scope=ConsentScope.COMENSHA)
    assert consent.given_on == first.consent_date and "De persoon zelf" in consent.how
    consent_withdraw(by=coordinator(world), consent=consent, withdrawn_on=timezone.localdate())
    correction = registration_save(by=coordinator(world), case=case, data=complete_input(case))
    with pytest.raises(ValidationError) as caught:
        registration_download(by=coordinator(world), registration=correction)
    assert "ingetrokken" in caught.value.message_dict["legal_basis"][0]
    correction.refresh_from_db()
    assert correction.is_draft
    # The police's obligation does not need the consent.
    registration_save(
        by=coordinator(world),
        case=case,
        data=complete_input(case, reporter_type="police", legal_basis="obligation"),
    )
    correction.refresh_from_db()
    registration_download(by=coordinator(world), registration=correction)
    correction.refresh_from_db()
    assert correction.status == RegistrationStatus.SENT
