"""The CoMensha registration of a case: prefill, draft, send (file or outbox), acknowledge.

One transaction per action; bad input raises ValidationError naming the field before
anything is written, for the page and any other caller alike. Two levels of checks:

- every value given is checked whenever a version is saved (codes from the lists, a date
  not in the future, an age that fits minor or adult, a legal basis the reporter may use,
  the minors rule for who signed the consent);
- sending also needs what CoMensha cannot do without: the date, reporter, police unit,
  dossier type, a form of exploitation, the plaats delict and a complete legal basis.

The legal basis (../shared/specs/registration.md): police, KMar and NLA are obliged to
report; anyone else needs written consent. The minors rule: a minor of 16 or 17 signs the
consent themselves, under 16 the parents or guardian sign. InBeeld's decisions where the
spec is silent: an adult signs themselves; a minor whose age is unknown cannot be
registered on consent until the age is given (who signs depends on it).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import OrganisationType, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.codes import ControlMethod, RecruitmentMethod, Sector
from inbeeld.cases.models import Case, CaseEvent, CasePerson, EventKind
from inbeeld.privacy.consent import consent_in_force, consent_record, consents_for
from inbeeld.privacy.models import ConsentScope
from inbeeld.regions.models import Municipality
from inbeeld.registration.comensha_file import ComenshaRecord, write_csv
from inbeeld.registration.models import (
    OBLIGED_REPORTERS,
    POLICE_UNIT_OF_REGION,
    ConsentSigner,
    DossierType,
    DossierTypeChange,
    LegalBasis,
    Minority,
    OutboxMessage,
    PoliceUnit,
    Registration,
    RegistrationStatus,
    ReporterType,
    Transport,
)
from inbeeld.signals.ages import age_on
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender
from inbeeld.signals.nationality import is_nationality_code

Errors = dict[str, list[str]]
AGE_MAX = 100
# The age from which a minor signs the consent themselves.
SIGNS_OWN_CONSENT_FROM = 16

# The registration's coded lists: field → the allowed codes.
CODED: dict[str, list[str]] = {
    "exploitation_forms": list(ExploitationForm.values),
    "sectors": list(Sector.values),
    "recruitment_methods": list(RecruitmentMethod.values),
    "control_methods": list(ControlMethod.values),
}

# The case owner's organisation type → CoMensha's reporter type (a prefill only).
_REPORTER_OF_ORGANISATION: dict[str, str] = {
    OrganisationType.POLICE: ReporterType.POLICE,
    OrganisationType.KMAR: ReporterType.KMAR,
    OrganisationType.LABOUR_INSPECTORATE: ReporterType.NLA,
}


@dataclass(frozen=True)
class RegistrationInput:
    registration_date: date | None = None
    reporter_type: str = ""
    police_unit: str = ""
    dossier_type: str = ""
    exploitation_forms: Sequence[str] = ()
    sectors: Sequence[str] = ()
    nationalities: Sequence[str] = ()
    age: int | None = None
    minority: str = ""
    gender: str = ""
    place_municipality: Municipality | None = None
    place_country: str = ""
    recruitment_methods: Sequence[str] = ()
    control_methods: Sequence[str] = ()
    legal_basis: str = ""
    consent_signed_by: str = ""
    consent_date: date | None = None
    fields_set: frozenset[str] = field(default=frozenset(), compare=False)


INPUT_FIELDS = (
    "registration_date",
    "reporter_type",
    "police_unit",
    "dossier_type",
    "exploitation_forms",
    "sectors",
    "nationalities",
    "age",
    "minority",
    "gender",
    "place_municipality",
    "place_country",
    "recruitment_methods",
    "control_methods",
    "legal_basis",
    "consent_signed_by",
    "consent_date",
)


# --- reading -----------------------------------------------------------------------------


def registrations_of(case: Case) -> list[Registration]:
    """The case's versions, newest first."""
    return list(
        Registration.objects.filter(case=case)
        .select_related("place_municipality", "created_by", "sent_by")
        .order_by("-version")
    )


def registration_latest(case: Case) -> Registration | None:
    return Registration.objects.filter(case=case).order_by("-version").first()


def input_of(registration: Registration) -> RegistrationInput:
    return RegistrationInput(**{name: getattr(registration, name) for name in INPUT_FIELDS})


def prefill(case: Case) -> RegistrationInput:
    """A first version's values from the case: its codes, its person, its events."""
    person = CasePerson.objects.filter(case=case).first()
    age: int | None = None
    minority = ""
    if person is not None:
        if person.date_of_birth:
            age = age_on(date.fromisoformat(person.date_of_birth), timezone.localdate())
            minority = Minority.MINOR if age < 18 else Minority.ADULT
        elif person.age_band:
            minority = Minority.MINOR if person.age_band == AgeBand.MINOR else Minority.ADULT
    event = (
        CaseEvent.objects.filter(case=case, kind=EventKind.EXPLOITATION)
        .select_related("municipality")
        .order_by("start", "created_at")
        .first()
    )
    municipality = case.municipality
    country = ""
    if event is not None:
        municipality = event.municipality
        country = "" if event.municipality else event.country
    return RegistrationInput(
        registration_date=timezone.localdate(),
        reporter_type=_REPORTER_OF_ORGANISATION.get(
            case.owner_organisation.type, ReporterType.CARE_COORDINATION
        ),
        police_unit=POLICE_UNIT_OF_REGION.get(case.region.code, ""),
        dossier_type=DossierType.REGISTRATION,
        exploitation_forms=list(case.exploitation_forms),
        sectors=list(case.sectors),
        nationalities=list(person.nationalities) if person else [],
        age=age,
        minority=minority,
        gender=person.gender if person else "",
        place_municipality=municipality,
        place_country=country,
        recruitment_methods=list(case.recruitment_methods),
        control_methods=list(case.control_methods),
    )


def form_input(case: Case) -> RegistrationInput:
    """What the form starts from: the draft; else the last sent version (a correction);
    else the prefill from the case."""
    latest = registration_latest(case)
    return prefill(case) if latest is None else input_of(latest)


# --- validation --------------------------------------------------------------------------


def _minors_rule(data: RegistrationInput) -> Errors:
    """Who must sign the written consent, for a minor (the spec) and an adult (InBeeld)."""
    signer = data.consent_signed_by
    if not signer:
        return {}
    if data.minority == Minority.MINOR:
        if data.age is None:
            return {
                "age": [
                    _(
                        "Give the person's age: for a minor, who signs the consent depends on "
                        "it (16 or older: the person; under 16: the parents or guardian)."
                    )
                ]
            }
        if data.age >= SIGNS_OWN_CONSENT_FROM and signer != ConsentSigner.PERSON:
            return {
                "consent_signed_by": [
                    _(
                        "A minor of 16 or 17 signs the consent themselves, not the parents "
                        "or guardian."
                    )
                ]
            }
        if data.age < SIGNS_OWN_CONSENT_FROM and signer != ConsentSigner.PARENT_OR_GUARDIAN:
            return {
                "consent_signed_by": [
                    _(
                        "For a minor under 16 the parents or the guardian sign the consent, "
                        "not the minor."
                    )
                ]
            }
    elif data.minority == Minority.ADULT and signer != ConsentSigner.PERSON:
        return {"consent_signed_by": [_("An adult signs the consent themselves.")]}
    return {}


def _value_errors(data: RegistrationInput) -> Errors:
    errors: Errors = {}
    today = timezone.localdate()
    for name, allowed in CODED.items():
        bad = [code for code in getattr(data, name) if code not in allowed]
        if bad:
            errors[name] = [
                _("Unknown code: %(codes)s. Choose from the list.") % {"codes": ", ".join(bad)}
            ]
    bad = [code for code in data.nationalities if not is_nationality_code(str(code))]
    if bad:
        errors["nationalities"] = [
            _("Unknown country code: %(codes)s. Use ISO 3166-1 alpha-2 codes, such as NL.")
            % {"codes": ", ".join(str(code) for code in bad)}
        ]
    choices = {
        "reporter_type": (ReporterType.values, _("Choose the reporter from the list.")),
        "police_unit": (PoliceUnit.values, _("Choose the police unit from the list.")),
        "dossier_type": (DossierType.values, _("Choose the dossier type from the list.")),
        "minority": (Minority.values, _("Choose minor, adult or unknown.")),
        "gender": (Gender.values, _("Choose the gender from the list.")),
        "legal_basis": (LegalBasis.values, _("Choose the legal basis from the list.")),
        "consent_signed_by": (ConsentSigner.values, _("Choose who signed from the list.")),
    }
    for name, (allowed, message) in choices.items():
        value = getattr(data, name)
        if value and value not in allowed:
            errors[name] = [message]
    if data.registration_date is not None and data.registration_date > today:
        errors["registration_date"] = [_("This date lies in the future. Give a date up to today.")]
    if data.consent_date is not None and data.consent_date > today:
        errors["consent_date"] = [_("This date lies in the future. Give a date up to today.")]
    if data.age is not None:
        if not 0 <= data.age <= AGE_MAX:
            errors["age"] = [_("Give an age from 0 to %(max)d.") % {"max": AGE_MAX}]
        elif data.age < 18 and data.minority == Minority.ADULT:
            errors["minority"] = [_("The age given is under 18: the person is a minor.")]
        elif data.age >= 18 and data.minority == Minority.MINOR:
            errors["minority"] = [_("The age given is 18 or older: the person is an adult.")]
    if data.place_municipality is not None and data.place_country:
        errors["place_country"] = [
            _("Give the plaats delict as a municipality or as a country abroad, not both.")
        ]
    elif data.place_country == "NL":
        errors["place_country"] = [
            _("For a plaats delict in the Netherlands, choose the municipality.")
        ]
    elif data.place_country and not is_nationality_code(data.place_country):
        errors["place_country"] = [_("Choose the country from the list.")]
    if (
        data.legal_basis == LegalBasis.OBLIGATION
        and data.reporter_type
        and data.reporter_type not in OBLIGED_REPORTERS
    ):
        errors["legal_basis"] = [
            _(
                "Only the police, KMar and the NLA are obliged to report. For another "
                "reporter the person's written consent is the legal basis."
            )
        ]
    if data.legal_basis == LegalBasis.CONSENT and "age" not in errors and "minority" not in errors:
        errors.update(_minors_rule(data))
    return errors


def _sending_errors(data: RegistrationInput) -> Errors:
    """What CoMensha cannot do without; each missing field named."""
    errors: Errors = {}
    required = {
        "registration_date": _("Give the date of the registration."),
        "reporter_type": _("Choose the reporter."),
        "police_unit": _("Choose the police unit."),
        "dossier_type": _("Choose the dossier type."),
        "exploitation_forms": _("Choose at least one form of exploitation."),
    }
    for name, message in required.items():
        if not getattr(data, name):
            errors[name] = [message]
    if data.place_municipality is None and not data.place_country:
        errors["place_municipality"] = [
            _("Give the plaats delict: the municipality, or the country when it lies abroad.")
        ]
    if not data.legal_basis:
        errors["legal_basis"] = [
            _(
                "Give the legal basis: the obligation to report (police, KMar, NLA) or the "
                "person's written consent. Without one the registration cannot be sent."
            )
        ]
    elif data.legal_basis == LegalBasis.CONSENT:
        if not data.minority:
            errors["minority"] = [
                _("Say whether the person is a minor: who signs the consent depends on it.")
            ]
        if not data.consent_signed_by:
            errors["consent_signed_by"] = [_("Say who signed the written consent.")]
        if data.consent_date is None:
            errors["consent_date"] = [_("Give the date the consent was signed.")]
    return errors


def registration_errors(data: RegistrationInput, *, sending: bool) -> Errors:
    errors = _value_errors(data)
    if sending:
        for name, messages in _sending_errors(data).items():
            errors.setdefault(name, messages)
    return errors


# --- changes -----------------------------------------------------------------------------


def _normalised(data: RegistrationInput) -> RegistrationInput:
    if data.legal_basis != LegalBasis.CONSENT:
        # The obligation needs no consent: nothing about a consent is kept with it.
        data = replace(data, consent_signed_by="", consent_date=None)
    return replace(data, place_country=data.place_country.upper())


def _dossier_history(by: User, registration: Registration) -> None:
    last = (
        DossierTypeChange.objects.filter(registration__case_id=registration.case_id)
        .order_by("-changed_at", "-pk")
        .first()
    )
    if registration.dossier_type and (
        last is None or last.dossier_type != registration.dossier_type
    ):
        DossierTypeChange.objects.create(
            registration=registration, dossier_type=registration.dossier_type, changed_by=by
        )


@transaction.atomic
def registration_save(*, by: User, case: Case, data: RegistrationInput) -> Registration:
    """Save the case's draft: the current draft changed, or a new one (version 1, or the
    next version as the correction of a sent one)."""
    Case.objects.select_for_update().only("pk").get(pk=case.pk)
    errors = registration_errors(data, sending=False)
    if not case.is_open:
        errors["case"] = [_("The case is closed: reopen it before changing its registration.")]
    if errors:
        raise ValidationError(errors)
    data = _normalised(data)
    latest = registration_latest(case)
    values = {name: getattr(data, name) for name in INPUT_FIELDS}
    values["exploitation_forms"] = list(data.exploitation_forms)
    for name in ("sectors", "nationalities", "recruitment_methods", "control_methods"):
        values[name] = list(getattr(data, name))
    if latest is not None and latest.is_draft:
        registration = latest
        changed = sorted(name for name in INPUT_FIELDS if getattr(latest, name) != values[name])
        for name, value in values.items():
            setattr(registration, name, value)
        registration.save()
        action = Action.UPDATE
        detail: dict[str, Any] = {"changed": changed}
    else:
        registration = Registration.objects.create(
            case=case,
            region_id=case.region_id,
            lineage=latest.lineage if latest else uuid.uuid4(),
            version=latest.version + 1 if latest else 1,
            created_by=by,
            **values,
        )
        action = Action.CREATE
        detail = {"corrects": latest.version if latest else None}
    _dossier_history(by, registration)
    audit_record(
        actor=by,
        action=action,
        target=registration,
        purpose=Purpose.CASE_WORK,
        detail={"case": case.pk, "version": registration.version, **detail},
    )
    return registration


def record_of(registration: Registration) -> ComenshaRecord:
    """The version as plain values for comensha_file.py."""
    return ComenshaRecord(
        registration_id=str(registration.lineage),
        version=registration.version,
        corrects_version=registration.version - 1 if registration.version > 1 else None,
        registration_date=registration.registration_date or timezone.localdate(),
        reporter_type=registration.reporter_type,
        police_unit=registration.police_unit,
        region=registration.region.code,
        dossier_type=registration.dossier_type,
        legal_basis=registration.legal_basis,
        exploitation_forms=list(registration.exploitation_forms),
        sectors=list(registration.sectors),
        nationalities=list(registration.nationalities),
        age=registration.age,
        minor=registration.minority,
        gender=registration.gender,
        place_municipality=registration.place_municipality.code
        if registration.place_municipality
        else "",
        place_country=registration.place_country,
        recruitment_methods=list(registration.recruitment_methods),
        control_methods=list(registration.control_methods),
        consent_signed_by=registration.consent_signed_by,
        consent_date=registration.consent_date,
    )


def _consent_in_registry(by: User, registration: Registration) -> Errors:
    """The consent basis with privacy/'s record of consents (scope "Registration with
    CoMensha", on the case): a withdrawn consent there refuses the sending; none there yet is
    recorded from the registration (who signed and when; no name), audited by privacy/."""
    if registration.legal_basis != LegalBasis.CONSENT:
        return {}
    case = registration.case
    if consents_for(case).filter(scope=ConsentScope.COMENSHA).exists():
        if consent_in_force(case, ConsentScope.COMENSHA):
            return {}
        return {
            "legal_basis": [
                _(
                    "The person's consent to registration with CoMensha is withdrawn (see "
                    "the case's consents). Without a valid legal basis the registration "
                    "cannot be sent."
                )
            ]
        }
    signer = ConsentSigner(registration.consent_signed_by).label
    consent_record(
        by=by,
        target=case,
        scope=ConsentScope.COMENSHA,
        given_on=registration.consent_date or timezone.localdate(),
        how=_("Written consent form, signed by: %(signer)s") % {"signer": signer},
    )
    return {}


def _mark_sent(*, by: User, registration: Registration, transport: str) -> Registration:
    errors = registration_errors(input_of(registration), sending=True)
    if errors:
        raise ValidationError(errors)
    errors = _consent_in_registry(by, registration)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    registration.status = RegistrationStatus.SENT
    registration.transport = transport
    registration.sent_by = by
    registration.sent_at = now
    registration.save(update_fields=["status", "transport", "sent_by", "sent_at", "updated_at"])
    # The version it corrects is now replaced at CoMensha.
    Registration.objects.filter(
        case_id=registration.case_id, version__lt=registration.version
    ).exclude(status=RegistrationStatus.CORRECTED).update(status=RegistrationStatus.CORRECTED)
    return registration


def _locked(registration: Registration) -> Registration:
    return (
        # Only the registration's row is locked (its municipality may be empty: an outer join).
        Registration.objects.select_for_update(of=("self",))
        .select_related("case", "region", "place_municipality")
        .get(pk=registration.pk)
    )


@transaction.atomic
def registration_download(*, by: User, registration: Registration) -> tuple[str, str]:
    """The file CoMensha receives (name, text). Downloading a draft sends it: the version is
    marked sent. Each download is audited once, as a share with CoMensha."""
    registration = _locked(registration)
    first = registration.is_draft
    if first:
        _mark_sent(by=by, registration=registration, transport=Transport.FILE)
    text = write_csv([record_of(registration)])
    audit_record(
        actor=by,
        action=Action.SHARE if first else Action.EXPORT,
        target=registration,
        purpose=Purpose.SHARING,
        detail={
            "case": registration.case_id,
            "version": registration.version,
            "transport": "file",
            "to": "CoMensha",
        },
    )
    name = f"comensha-aanmelding-{str(registration.lineage)[:8]}-v{registration.version}.csv"
    return name, text


def api_enabled() -> bool:
    return bool(settings.COMENSHA_API_URL)


@transaction.atomic
def registration_send_api(*, by: User, registration: Registration) -> OutboxMessage:
    """Mark the draft sent and put it in the outbox, in one transaction; a django-q2 task
    delivers it after the commit (transport.py)."""
    if not api_enabled():
        raise ValidationError(
            {"transport": [_("No CoMensha API is configured: download the file instead.")]}
        )
    registration = _locked(registration)
    if not registration.is_draft:
        raise ValidationError({"status": [_("This version has been sent already.")]})
    _mark_sent(by=by, registration=registration, transport=Transport.API)
    message = OutboxMessage.objects.create(
        registration=registration, key=registration.key, next_attempt_at=timezone.now()
    )
    audit_record(
        actor=by,
        action=Action.SHARE,
        target=registration,
        purpose=Purpose.SHARING,
        detail={
            "case": registration.case_id,
            "version": registration.version,
            "transport": "api",
            "to": "CoMensha",
            "outbox": message.pk,
        },
    )
    from inbeeld.registration.transport import enqueue

    transaction.on_commit(partial(enqueue, message.pk))
    return message


@transaction.atomic
def registration_acknowledge(
    *, by: User | None, registration: Registration, reference: str = ""
) -> Registration:
    """CoMensha confirmed the version (by mail or phone to the coordinator, or its API)."""
    registration = _locked(registration)
    if registration.status != RegistrationStatus.SENT:
        raise ValidationError(
            {"status": [_("Only a sent version can be acknowledged by CoMensha.")]}
        )
    reference = reference.strip()
    if len(reference) > 40:
        raise ValidationError({"comensha_reference": [_("Write at most 40 characters.")]})
    registration.status = RegistrationStatus.ACKNOWLEDGED
    registration.acknowledged_at = timezone.now()
    registration.comensha_reference = reference
    registration.save(
        update_fields=["status", "acknowledged_at", "comensha_reference", "updated_at"]
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=registration,
        purpose=Purpose.CASE_WORK,
        actor_name="" if by else "CoMensha API",
        detail={"version": registration.version, "status": "acknowledged"},
    )
    return registration
