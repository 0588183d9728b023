"""Writing signals: intake from the public and from partners, additions, triage steps.

Every submission is one transaction and idempotent: the same key twice gives the same
signal. A key comes back with other content when someone changed the form and sent it again
(or a partner system reused a key); that content is never dropped silently: the meldpunt
adds the changes to the signal as a reporter's addition, partners get
IdempotencyKeyReusedError. Each signal keeps a keyed digest of what was submitted to tell a
repeat from a change. Identifying fields are encrypted by their model fields; this module
never logs them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, audit_record_reads, changed_fields
from inbeeld.lib.codes import READABLE_ALPHABET, readable_code
from inbeeld.privacy.encryption import blind_index
from inbeeld.regions.models import Municipality
from inbeeld.signals.ages import age_band_of, age_on
from inbeeld.signals.concurrency import signal_claim, signal_version_bump
from inbeeld.signals.identifiers import identifiers_record, name_index, receipt_secret_digest
from inbeeld.signals.indicators import INDICATOR
from inbeeld.signals.models import (
    AgeBand,
    ExploitationForm,
    IdentifierKind,
    Outcome,
    ReporterAddition,
    Signal,
    SignalIdentifier,
    Source,
    Status,
)
from inbeeld.signals.nationality import is_nationality_code
from inbeeld.signals.scoring import ScoreFields, current_catalogue, item_text, score_fields

RECEIPT_ALPHABET = READABLE_ALPHABET  # the reporter's secret too is read from paper


@dataclass(frozen=True)
class SignalInput:
    """What any intake channel hands over; the services validate it whole."""

    municipality: Municipality
    description: str
    place_text: str = ""
    incident_date: date | None = None
    exploitation_forms: Sequence[str] = ()
    indicators: Sequence[str] = ()
    methods: Sequence[str] = ()
    acute: bool = False
    people_count: int | None = None
    victim_name: str = ""
    victim_date_of_birth: date | None = None
    victim_age_band: str = ""
    victim_gender: str = ""
    victim_nationality: str = ""  # ISO 3166-1 alpha-2 code, "" when unknown
    reporter_contact: str = ""
    phone_numbers: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class IdempotencyKeyReusedError(ValidationError):
    """A partner's idempotency key came back with other content than its first use."""

    def __init__(self, signal: Signal) -> None:
        super().__init__(
            _(
                "This form was already saved as signal %(code)s with other content. Your "
                "changes were not saved: open that signal to add them."
            )
            % {"code": signal.receipt_code}
        )
        self.signal = signal


class Repeat(Enum):
    """What a meldpunt submission turned out to be."""

    NEW = "new"
    SAME = "same"  # sent again unchanged: the same receipt
    CHANGES_ADDED = "changes_added"  # sent again changed: the changes became an addition


@dataclass(frozen=True)
class PublicReceipt:
    signal: Signal
    secret: str
    repeat: Repeat


def submission_digest_of(data: SignalInput) -> str:
    """A keyed digest of everything submitted: equal digests, equal submissions.

    Sequences are compared as sets (they are stored sorted and without repeats), records by
    their id, dates as ISO dates; the digest is a blind index, so it reveals nothing without
    the key. Covers every field of SignalInput, including ones added later.
    """
    canonical = {
        item.name: _canonical(getattr(data, item.name)) for item in dataclasses.fields(data)
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return blind_index(text, purpose="submission")


def _canonical(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, Sequence | set | frozenset):
        return sorted({json.dumps(_canonical(item), default=str) for item in value})
    return value


def _receipt_code() -> str:
    return readable_code("MH")


def public_secret_for(form_token: str) -> str:
    """The reporter's secret, derived from the form's one-time token.

    Derived rather than stored, so that a double-clicked or retried submission can show the
    same receipt again, and only a hash of the secret is ever kept.
    """
    digest = hmac.new(
        str(settings.SECRET_KEY).encode(), f"receipt\n{form_token}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest[:10], "big")
    letters = []
    for _position in range(12):
        number, index = divmod(number, len(RECEIPT_ALPHABET))
        letters.append(RECEIPT_ALPHABET[index])
    text = "".join(letters)
    return f"{text[:4]}-{text[4:8]}-{text[8:]}"


@dataclass(frozen=True)
class Validated:
    """What intake stores beyond the input as given: the score, the forms, the age band."""

    score: ScoreFields
    forms: list[str]
    age_band: str


def _validated(data: SignalInput) -> Validated:
    """The risk score and age band, or ValidationError naming the field; nothing is written
    before this. Every channel (meldpunt, intake form, API) comes through here."""
    errors: dict[str, list[str]] = {}
    if not data.description.strip():
        errors["description"] = [_("Describe what you noticed.")]
    errors.update(_date_errors(data))
    age_band = data.victim_age_band
    if "victim_date_of_birth" not in errors:
        age_band, age_error = _age_band(data)
        if age_error:
            errors["victim_age_band"] = [age_error]
    unknown_forms = [f for f in data.exploitation_forms if f not in ExploitationForm.values]
    if unknown_forms:
        errors["exploitation_forms"] = [
            _("Unknown form of exploitation: %(forms)s") % {"forms": ", ".join(unknown_forms)}
        ]
    if data.victim_nationality and not is_nationality_code(data.victim_nationality):
        errors["victim_nationality"] = [_("Choose the nationality from the list of countries.")]
    try:
        score = score_fields(data.indicators, data.methods)
    except ValueError as error:
        errors["indicators"] = [str(error)]
        score = None
    if errors:
        raise ValidationError(errors)
    assert score is not None  # noqa: S101 - every path without a score raised above
    return Validated(score, sorted(set(data.exploitation_forms)), age_band)


def _date_errors(data: SignalInput) -> dict[str, list[str]]:
    """Dates that cannot be: an incident or a birth after today, a birth after the incident."""
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if data.incident_date is not None and data.incident_date > today:
        errors["incident_date"] = [
            _("The date of the incident lies in the future. Give a date up to today.")
        ]
    born = data.victim_date_of_birth
    if born is not None and born > today:
        errors["victim_date_of_birth"] = [
            _("The date of birth lies in the future. Give a date up to today.")
        ]
    elif born is not None and data.incident_date is not None and born > data.incident_date:
        errors["victim_date_of_birth"] = [
            _("The date of birth lies after the date of the incident. Check both dates.")
        ]
    return errors


def _age_band(data: SignalInput) -> tuple[str, str]:
    """The age band to store, and why the one given cannot be ("" when it can).

    A date of birth decides the band, at the date of the incident when known, else today:
    a 16-year-old is a minor whatever else was filled in. A band given with it that says
    otherwise is refused rather than corrected, naming both fields: one of the two is wrong,
    and only the person who entered them knows which.
    """
    born = data.victim_date_of_birth
    if born is None:
        return data.victim_age_band, ""
    day = data.incident_date or timezone.localdate()
    age = age_on(born, day)
    derived = age_band_of(age)
    if data.victim_age_band and data.victim_age_band != derived:
        message = _(
            "The age “%(given)s” does not fit the date of birth: on %(day)s the person was "
            "%(age)d (%(derived)s). Correct one of the two, or leave the age empty: it is "
            "worked out from the date of birth."
        ) % {
            "given": AgeBand(data.victim_age_band).label,
            "day": formats.date_format(day, "DATE_FORMAT"),
            "age": age,
            "derived": AgeBand(derived).label,
        }
        return data.victim_age_band, message
    return derived, ""


# Its own savepoint: a refused report (ValidationError) must leave the caller's transaction
# usable, so that the form can be shown again with its messages.
@transaction.atomic
def _signal_create(
    data: SignalInput,
    *,
    source: str,
    idempotency_key: str,
    secret: str,
    organisation: Organisation | None,
    by: User | None,
    digest: str,
) -> tuple[Signal, bool]:
    """Create, or return the signal an earlier submission with the same key created.

    The callers compare the returned signal's ``submission_digest`` with ``digest``.
    """
    if idempotency_key:
        existing = Signal.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    valid = _validated(data)
    signal = Signal(
        region=data.municipality.region,
        municipality=data.municipality,
        **_reported_fields(data, valid),
        reporter_contact=data.reporter_contact,
        phone_numbers=data.phone_numbers,
        # A partner's signal names who entered it (created_by, source_organisation): only a
        # citizen without contact details stays anonymous.
        anonymous=organisation is None and not data.reporter_contact,
        source=source,
        source_organisation=organisation,
        created_by=by,
        receipt_code=_receipt_code(),
        receipt_secret_hash=receipt_secret_digest(secret) if secret else "",
        idempotency_key=idempotency_key,
        submission_digest=digest,
    )
    try:
        with transaction.atomic():
            signal.save()
    except IntegrityError:
        # The same key arrived twice at once: the other request won; answer with its signal.
        return Signal.objects.get(idempotency_key=idempotency_key), False
    identifiers_record(signal, new=True)
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=signal,
        purpose=Purpose.SIGNAL_INTAKE,
        detail={"source": source},
    )
    return signal, True


@transaction.atomic
def signal_create_public(*, data: SignalInput, form_token: str) -> PublicReceipt:
    """A citizen's signal through the meldpunt, with the reporter's secret.

    The form token makes a repeat recognisable: sent again unchanged, it shows the same
    receipt; sent again with changes, the changes are added to the first signal (once).
    """
    secret = public_secret_for(form_token)
    key = "public:" + hashlib.sha256(form_token.encode()).hexdigest()[:40]
    digest = submission_digest_of(data)
    signal, created = _signal_create(
        data,
        source=Source.PUBLIC,
        idempotency_key=key,
        secret=secret,
        organisation=None,
        by=None,
        digest=digest,
    )
    if created:
        return PublicReceipt(signal, secret, Repeat.NEW)
    if _same_submission(signal, digest):
        return PublicReceipt(signal, secret, Repeat.SAME)
    _validated(data)  # what is added must be as valid as a new report
    changes = _changes(signal, data)
    if not changes:
        return PublicReceipt(signal, secret, Repeat.SAME)  # nothing differs from what we hold
    text = "\n".join([_("Changed when the form was sent again:"), *changes])
    reporter_addition_add(signal=signal, text=text, submission_digest=digest)
    return PublicReceipt(signal, secret, Repeat.CHANGES_ADDED)


def _same_submission(signal: Signal, digest: str) -> bool:
    # Signals from before the digest existed have none: a repeat is taken as unchanged, as
    # it was then.
    return not signal.submission_digest or signal.submission_digest == digest


def _changes(signal: Signal, data: SignalInput) -> list[str]:
    """The fields in which ``data`` differs from the signal: label and new value each."""
    model_fields = {item.name: item for item in Signal._meta.get_fields()}
    changes = []
    for item in dataclasses.fields(data):
        model_field = model_fields.get(item.name)
        if not isinstance(model_field, models.Field):
            continue  # not kept on the signal (extra)
        new, old = getattr(data, item.name), getattr(signal, item.name)
        if isinstance(new, date) and isinstance(old, str) and old:
            old = date.fromisoformat(old)  # a date kept as encrypted text
        if _comparable(new) == _comparable(old):
            continue
        label = capfirst(model_field.verbose_name)
        changes.append(
            _("%(field)s: %(value)s")
            % {"field": label, "value": _shown(item.name, model_field, new)}
        )
    return changes


def _comparable(value: Any) -> Any:
    """Canonical, with every kind of "nothing" (None, "", an empty list) the same."""
    if value is None or value == "" or (isinstance(value, Sequence | set) and not value):
        return None
    return _canonical(value)


def _shown(name: str, model_field: models.Field[Any, Any], value: Any) -> str:
    """A value as a person reads it: labels of choices, local dates, a dash for nothing."""
    if _comparable(value) is None:
        return "—"
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if name == "exploitation_forms":
        return ", ".join(str(ExploitationForm(code).label) for code in sorted(set(value)))
    if name == "indicators":
        catalogue = current_catalogue()
        return ", ".join(item_text(catalogue, code, INDICATOR) for code in sorted(set(value)))
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ", ".join(sorted({str(item) for item in value}))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def signal_create_partner(
    *,
    data: SignalInput,
    by: User,
    organisation: Organisation,
    idempotency_key: str = "",
    source: str = Source.PARTNER,
) -> tuple[Signal, bool]:
    """A partner's signal (form or API); returns it and whether it was new.

    Raises IdempotencyKeyReusedError when the key was used before with other content.
    """
    key = f"org{organisation.pk}:{idempotency_key}" if idempotency_key else ""
    digest = submission_digest_of(data)
    signal, created = _signal_create(
        data,
        source=source,
        idempotency_key=key,
        secret="",
        organisation=organisation,
        by=by,
        digest=digest,
    )
    if not created and not _same_submission(signal, digest):
        raise IdempotencyKeyReusedError(signal)
    return signal, created


@transaction.atomic
def reporter_addition_add(
    *, signal: Signal, text: str, submission_digest: str = ""
) -> ReporterAddition:
    """The reporter's addition, audited; a changed repeat of the form is added only once.

    ``submission_digest`` is set for the changes of a form sent again: the same changed
    repeat twice (a double click) finds the addition the first one made. An addition is
    never refused for a change made meanwhile (the reporter cannot see the signal), but it
    counts as a change: a coordinator deciding on the page from before it must look again.
    """
    if not text.strip():
        raise ValidationError({"text": [_("Write what you want to add.")]})
    if submission_digest:
        earlier = signal.additions.filter(submission_digest=submission_digest).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            addition = ReporterAddition.objects.create(
                signal=signal, text=text, submission_digest=submission_digest
            )
    except IntegrityError:
        # The same changed repeat arrived twice at once: the other request added it.
        return signal.additions.get(submission_digest=submission_digest)
    signal_version_bump(signal)
    audit_record(
        actor=None,
        action=Action.UPDATE,
        target=signal,
        purpose=Purpose.SIGNAL_INTAKE,
        detail={"addition": addition.pk},
        actor_name="reporter",
    )
    return addition


@transaction.atomic
def signal_status_change(
    *, by: User, signal: Signal, status: str, outcome: str = "", version: int
) -> Signal:
    """A triage step; closing needs an outcome, and only a closed signal has one.

    ``version`` is the signal's version the person saw; ConcurrentChangeError if it changed.
    """
    if status == Status.CLOSED and outcome not in Outcome.values[1:]:
        raise ValidationError({"outcome": [_("Choose the outcome when closing a signal.")]})
    if status != Status.CLOSED:
        outcome = Outcome.NONE
    signal_claim(signal, seen_version=version)
    before = {"status": signal.status, "outcome": signal.outcome}
    if status == Status.CLOSED and signal.status != Status.CLOSED:
        signal.closed_at = timezone.now()  # retention periods for closed signals start here
    elif status != Status.CLOSED:
        signal.closed_at = None
    if status != Status.NEW and signal.triaged_at is None:
        signal.triaged_at = timezone.now()  # the first triage step, kept when it goes back
    signal.status, signal.outcome = status, outcome
    signal.save(update_fields=["status", "outcome", "closed_at", "triaged_at", "updated_at"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=signal,
        purpose=Purpose.TRIAGE,
        detail={
            "fields": changed_fields(
                before, {"status": status, "outcome": outcome}, ("status", "outcome")
            )
        },
    )
    return signal


# --- partner imports (imports/) ------------------------------------------------------------


@dataclass(frozen=True)
class PartnerImport:
    """What signals_import_partner found: the signals made (empty unless written), those a
    reference made before with the same content, and the refused rows' errors per field."""

    created: list[Signal]
    existing: list[Signal]
    errors: dict[int, dict[str, list[str]]]


IMPORT_KEY_PREFIX = "import:"
_IMPORT_BATCH = 1000


def import_key(organisation: Organisation, reference: str) -> str:
    """The idempotency key of a row of an organisation's import: its own reference."""
    return f"org{organisation.pk}:{IMPORT_KEY_PREFIX}{reference}"


def signals_import_partner(
    *,
    items: Sequence[tuple[str, SignalInput]],
    by: User,
    organisation: Organisation,
    write: bool,
) -> PartnerImport:
    """A partner's list of signals, each with the partner's own reference: checked whole
    (the same rules as every channel, ``_validated``), then, when ``write`` and no row is
    refused, written together in the caller's transaction.

    A reference imported before is the row's natural key (the signal's idempotency key): with
    the same content it makes nothing again; with other content the row is refused, naming
    the signal, as the API refuses a reused Idempotency-Key. Written in batches with one
    audit entry per region naming every signal (audit_record_reads, action CREATE), so that a
    list of 100,000 holds the audit chain's lock once, not 100,000 times.
    """
    keys = [import_key(organisation, reference) for reference, _data in items]
    before: dict[str, Signal] = {}
    for start in range(0, len(keys), _IMPORT_BATCH):
        chunk = keys[start : start + _IMPORT_BATCH]
        for signal in Signal.objects.filter(idempotency_key__in=chunk).only(
            "pk", "receipt_code", "idempotency_key", "submission_digest", "region_id"
        ):
            before[signal.idempotency_key] = signal
    errors: dict[int, dict[str, list[str]]] = {}
    existing: list[Signal] = []
    new: list[tuple[SignalInput, str, str, Validated]] = []
    seen: dict[str, int] = {}
    for index, ((_reference, data), key) in enumerate(zip(items, keys, strict=True)):
        if key in seen:
            errors[index] = {
                "reference": [
                    _("The reference appears twice in the file (also on row %(row)d).")
                    % {"row": seen[key] + 1}
                ]
            }
            continue
        seen[key] = index
        digest = submission_digest_of(data)
        earlier = before.get(key)
        if earlier is not None:
            if earlier.submission_digest == digest:
                existing.append(earlier)
            else:
                errors[index] = {
                    "reference": [
                        _(
                            "This reference was imported before as signal %(code)s with other "
                            "content. Nothing is changed by an import: add the changes to "
                            "that signal."
                        )
                        % {"code": earlier.receipt_code}
                    ]
                }
            continue
        try:
            new.append((data, key, digest, _validated(data)))
        except ValidationError as error:
            errors[index] = error.message_dict
    if errors or not write:
        return PartnerImport(created=[], existing=existing, errors=errors)
    created = _signals_write(new, by=by, organisation=organisation)
    return PartnerImport(created=created, existing=existing, errors={})


def _signals_write(
    new: Sequence[tuple[SignalInput, str, str, Validated]], *, by: User, organisation: Organisation
) -> list[Signal]:
    codes: set[str] = set()
    while len(codes) < len(new):
        codes.add(_receipt_code())
    signals = [
        _imported_signal(data, valid, key=key, digest=digest, code=code, by=by, org=organisation)
        for (data, key, digest, valid), code in zip(new, sorted(codes), strict=True)
    ]
    created: list[Signal] = []
    for start in range(0, len(signals), _IMPORT_BATCH):
        batch = Signal.objects.bulk_create(signals[start : start + _IMPORT_BATCH])
        _identifiers_bulk(batch)
        created.extend(batch)
    if created:
        audit_record_reads(
            actor=by,
            records=created,
            purpose=Purpose.SIGNAL_INTAKE,
            action=Action.CREATE,
            detail={"source": Source.PARTNER, "import": True},
        )
    return created


def _reported_fields(data: SignalInput, valid: Validated) -> dict[str, Any]:
    """What was reported, as the signal's fields: one mapping for every channel that creates
    signals (the meldpunt, partners, the API and imports)."""
    score = valid.score
    return {
        "place_text": data.place_text,
        "description": data.description,
        "incident_date": data.incident_date,
        "exploitation_forms": valid.forms,
        "indicators": sorted(set(data.indicators)),
        "methods": sorted(set(data.methods)),
        "risk_score": score.risk_score,
        "risk_catalogue_version": score.risk_catalogue_version,
        "risk_contributions": score.risk_contributions,
        "acute": data.acute,
        "people_count": data.people_count,
        "victim_name": data.victim_name,
        "victim_name_index": name_index(data.victim_name),
        "victim_date_of_birth": data.victim_date_of_birth.isoformat()
        if data.victim_date_of_birth
        else "",
        "victim_age_band": valid.age_band,
        "victim_gender": data.victim_gender,
        "victim_nationality": data.victim_nationality,
    }


def _identifiers_bulk(signals: Sequence[Signal]) -> None:
    """The keyed hashes of new signals' names (identifiers_record's, for many at once)."""
    SignalIdentifier.objects.bulk_create(
        SignalIdentifier(signal=signal, kind=IdentifierKind.NAME, index=signal.victim_name_index)
        for signal in signals
        if signal.victim_name_index
    )


def _imported_signal(
    data: SignalInput,
    valid: Validated,
    *,
    key: str,
    digest: str,
    code: str,
    by: User,
    org: Organisation,
) -> Signal:
    # Ids rather than records where nothing reads the record afterwards: 100,000 rows pay
    # for every descriptor call. The region is read by the audit entry (its code).
    return Signal(
        region=data.municipality.region,
        municipality_id=data.municipality.pk,
        **_reported_fields(data, valid),
        anonymous=False,
        source=Source.PARTNER,
        source_organisation_id=org.pk,
        created_by_id=by.pk,
        receipt_code=code,
        receipt_secret_hash="",
        idempotency_key=key,
        submission_digest=digest,
    )
