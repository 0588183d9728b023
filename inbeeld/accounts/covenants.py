"""The regional covenant (convenant, intentieverklaring): its versions, signatures, withdrawals.

A share of personal data on the covenant basis (privacy/sharing.py) goes only to an
organisation that signed the version in force in the share's region and did not withdraw;
``covenant_share_refusal`` says why not. At most one version is in force in a region on any
day: a new version that starts after the open-ended version in force ends that one the day
before (a new version replaces the old); any other overlap is refused.

The text and the document are the partners' agreement, not personal data, and are stored
plainly; a document must be a PDF by its content. Who signed is personal data of a
professional: encrypted on the signature (models.py), never in the audit trail.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Covenant, CovenantSignature, Membership, Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, audit_record_reads
from inbeeld.regions.models import Region

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_NAME_LENGTH = 200
PDF_MAGIC = b"%PDF-"


class Upload(Protocol):
    """What Django's UploadedFile offers and this module uses."""

    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class CovenantInput:
    title: str
    version: str
    text: str
    in_force_from: date
    in_force_until: date | None


@dataclass(frozen=True)
class SignatureInput:
    organisation: Organisation | None
    signed_on: date
    signed_by_name: str
    signed_by_function: str


# --- Reading ----------------------------------------------------------------------------------


def covenants_of(region: Region) -> QuerySet[Covenant]:
    """Every version of the region's covenant, newest first, without the documents' bytes."""
    return Covenant.objects.filter(region=region).defer("document").order_by("-in_force_from")


def covenant_in_force(region: Region, *, on: date | None = None) -> Covenant | None:
    day = on or timezone.localdate()
    return (
        covenants_of(region)
        .filter(in_force_from__lte=day)
        .filter(Q(in_force_until__isnull=True) | Q(in_force_until__gte=day))
        .first()
    )


def _signed_on(day: date) -> Q:
    """Signatures that count on ``day``: signed by then, and not withdrawn by then."""
    return Q(signed_on__lte=day) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


def signatory_ids(covenant: Covenant, *, on: date | None = None) -> set[int]:
    """The organisations whose signature of ``covenant`` counts on the day."""
    day = on or timezone.localdate()
    return set(
        covenant.signatures.filter(_signed_on(day)).values_list("organisation_id", flat=True)
    )


def covenant_share_refusal(
    *, region: Region, organisation: Organisation | None, user: User | None
) -> str:
    """Why personal data may not go to this recipient on the covenant basis ("" if it may).

    The recipient is the organisation named on the share; without one, the organisations
    the receiving person works for in the region (any of them that signed will do).
    """
    today = timezone.localdate()
    covenant = covenant_in_force(region, on=today)
    if covenant is None:
        return _("There is no covenant in force in this region; choose another legal basis.")
    if organisation is not None:
        candidates = [organisation]
    elif user is not None:
        candidates = list(
            Organisation.objects.filter(
                pk__in=Membership.objects.filter(user=user, organisation__region=region).values(
                    "organisation"
                )
            )
        )
    else:
        candidates = []
    if not candidates:
        return _("A share on the covenant basis goes to an organisation that signed it.")
    signed = signatory_ids(covenant, on=today)
    if any(candidate.pk in signed for candidate in candidates):
        return ""
    withdrawn = (
        covenant.signatures.filter(organisation__in=candidates, withdrawn_on__lte=today)
        .select_related("organisation")
        .order_by("-withdrawn_on")
        .first()
    )
    if withdrawn is not None and withdrawn.withdrawn_on is not None:
        return _(
            "%(organisation)s withdrew from the covenant on %(date)s; choose another legal basis."
        ) % {
            "organisation": withdrawn.organisation.name,
            "date": date_format(withdrawn.withdrawn_on),
        }
    return _(
        "%(organisation)s has not signed the covenant in force (%(title)s, version "
        "%(version)s); choose another legal basis."
    ) % {"organisation": candidates[0].name, "title": covenant.title, "version": covenant.version}


def signatures_shown(*, by: User, signatures: Sequence[CovenantSignature]) -> None:
    """Record that a page showed these signatures (who signed: one entry per region)."""
    audit_record_reads(actor=by, records=list(signatures), purpose=Purpose.NETWORK)


def covenant_document_content(covenant: Covenant) -> bytes | None:
    """The version's PDF (None without one); lists load covenants without it."""
    content = Covenant.objects.filter(pk=covenant.pk).values_list("document", flat=True).first()
    return bytes(content) if content else None


# --- The document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedDocument:
    name: str
    content: bytes


def _clean_name(raw: str) -> str:
    """The base name without directories or control characters, at most 200 characters."""
    base = PurePath(raw.replace("\\", "/")).name
    printable = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return printable[-MAX_NAME_LENGTH:]


def covenant_document_check(upload: Upload) -> CheckedDocument:
    """A PDF by its content (and its name), at most 5 MB; ValidationError on ``document``."""
    name = _clean_name(upload.name or "")
    if PurePath(name).suffix.lower() != ".pdf":
        raise ValidationError(
            {"document": [_("The document must be a PDF (a name ending in .pdf).")]}
        )
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": [_("The document is larger than 5 MB.")]})
    content = b"".join(upload.chunks())
    if len(content) > MAX_DOCUMENT_BYTES:  # in case the reported size was wrong
        raise ValidationError({"document": [_("The document is larger than 5 MB.")]})
    if not content.startswith(PDF_MAGIC):
        raise ValidationError({"document": [_("This file is not a PDF, whatever its name says.")]})
    return CheckedDocument(name=name, content=content)


# --- Writing ----------------------------------------------------------------------------------


def _require_keeper(by: User, record: Region | Covenant | CovenantSignature) -> None:
    if not by.has_perm("accounts.manage_network_of", record):
        raise PermissionDenied


def _period_text(covenant: Covenant) -> str:
    start = date_format(covenant.in_force_from)
    if covenant.in_force_until is None:
        return _("from %(start)s, without an end date") % {"start": start}
    return _("from %(start)s until %(end)s") % {
        "start": start,
        "end": date_format(covenant.in_force_until),
    }


def _overlapping(region: Region, start: date, end: date | None) -> QuerySet[Covenant]:
    overlapping = covenants_of(region).filter(
        Q(in_force_until__isnull=True) | Q(in_force_until__gte=start)
    )
    return overlapping if end is None else overlapping.filter(in_force_from__lte=end)


def _input_errors(region: Region, data: CovenantInput, has_document: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the covenant's title.")]
    if not data.version.strip():
        errors["version"] = [_("Give the version, e.g. 2025-1.")]
    elif covenants_of(region).filter(version=data.version.strip()).exists():
        errors["version"] = [_("This region already has a version with this name.")]
    if not data.text.strip() and not has_document:
        errors["text"] = [_("Give the covenant's text or attach its document (PDF).")]
    if data.in_force_until is not None and data.in_force_until < data.in_force_from:
        errors["in_force_until"] = [_("The end lies before the start.")]
    return errors


@transaction.atomic
def covenant_version_add(
    *, by: User, region: Region, data: CovenantInput, document: Upload | None = None
) -> Covenant:
    """Record a version of the region's covenant; the open-ended version it follows ends the
    day before it starts. ValidationError names the field; nothing is written then."""
    _require_keeper(by, region)
    # One keeper at a time decides the region's periods (PostgreSQL; SQLite's IMMEDIATE
    # transactions already let one writer in at a time).
    Region.objects.select_for_update().filter(pk=region.pk).first()
    checked = None
    errors: dict[str, list[str]] = {}
    if document is not None:
        try:
            checked = covenant_document_check(document)
        except ValidationError as error:
            errors.update(error.message_dict)
    errors.update(_input_errors(region, data, has_document=document is not None))
    superseded: Covenant | None = None
    if "in_force_until" not in errors:
        for other in _overlapping(region, data.in_force_from, data.in_force_until):
            if other.in_force_until is None and other.in_force_from < data.in_force_from:
                superseded = other  # the version in force so far: it ends the day before
                continue
            errors["in_force_from"] = [
                _(
                    "This period overlaps version %(version)s (%(period)s): one version is in "
                    "force at a time."
                )
                % {"version": other.version, "period": _period_text(other)}
            ]
            break
    if errors:
        raise ValidationError(errors)
    if superseded is not None:
        superseded.in_force_until = data.in_force_from - timedelta(days=1)
        superseded.save(update_fields=["in_force_until"])
    covenant = Covenant(
        region=region,
        title=data.title.strip(),
        version=data.version.strip(),
        text=data.text.strip(),
        in_force_from=data.in_force_from,
        in_force_until=data.in_force_until,
        created_by=by,
    )
    if checked is not None:
        covenant.document = checked.content
        covenant.document_name = checked.name
        covenant.document_size = len(checked.content)
    covenant.full_clean()
    covenant.save()
    if superseded is not None:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=superseded,
            purpose=Purpose.NETWORK,
            detail={
                "in_force_until": {"old": None, "new": str(superseded.in_force_until)},
                "superseded_by": covenant.pk,
            },
        )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=covenant,
        purpose=Purpose.NETWORK,
        detail={
            "version": covenant.version,
            "in_force_from": str(covenant.in_force_from),
            "in_force_until": str(covenant.in_force_until) if covenant.in_force_until else None,
            "document_size": covenant.document_size,
        },
    )
    return covenant


def signable_organisations(covenant: Covenant) -> QuerySet[Organisation]:
    """Active organisations of the covenant's region without a signature that counts now."""
    signed = covenant.signatures.filter(withdrawn_on__isnull=True).values("organisation")
    return Organisation.objects.filter(region=covenant.region_id, active=True).exclude(
        pk__in=signed
    )


@transaction.atomic
def covenant_sign(*, by: User, covenant: Covenant, data: SignatureInput) -> CovenantSignature:
    """Record that an organisation signed the version; ValidationError names the field."""
    _require_keeper(by, covenant)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    organisation = data.organisation
    if organisation is None:
        errors["organisation"] = [_("Choose the organisation that signed.")]
    elif organisation.region_id != covenant.region_id:
        errors["organisation"] = [_("Only organisations of the covenant's region sign it.")]
    elif covenant.signatures.filter(organisation=organisation, withdrawn_on__isnull=True).exists():
        errors["organisation"] = [_("This organisation has already signed this version.")]
    if data.signed_on > today:
        errors["signed_on"] = [_("The date of signing cannot lie in the future.")]
    if not data.signed_by_name.strip():
        errors["signed_by_name"] = [_("Give the name of the person who signed.")]
    if errors or organisation is None:  # no organisation is among the errors
        raise ValidationError(errors)
    signature = CovenantSignature(
        covenant=covenant,
        organisation=organisation,
        signed_on=data.signed_on,
        signed_by_name=data.signed_by_name.strip(),
        signed_by_function=data.signed_by_function.strip(),
        recorded_by=by,
    )
    signature.full_clean()
    signature.save()
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=signature,
        purpose=Purpose.NETWORK,
        detail={
            "covenant": covenant.pk,
            "organisation": organisation.pk,
            "signed_on": str(signature.signed_on),
        },
    )
    return signature


@transaction.atomic
def covenant_signature_withdraw(
    *, by: User, signature: CovenantSignature, withdrawn_on: date
) -> CovenantSignature:
    """Record the organisation's withdrawal; from that day shares on the covenant basis to it
    are refused. ValidationError names ``withdrawn_on``."""
    _require_keeper(by, signature)
    locked = CovenantSignature.objects.select_for_update().get(pk=signature.pk)
    problem = ""
    if locked.withdrawn_on is not None:
        problem = _("This signature was already withdrawn on %(date)s.") % {
            "date": date_format(locked.withdrawn_on)
        }
    elif withdrawn_on > timezone.localdate():
        problem = _("The date of the withdrawal cannot lie in the future.")
    elif withdrawn_on < locked.signed_on:
        problem = _("The withdrawal cannot lie before the signature (%(date)s).") % {
            "date": date_format(locked.signed_on)
        }
    if problem:
        raise ValidationError({"withdrawn_on": [problem]})
    locked.withdrawn_on, locked.withdrawal_recorded_by = withdrawn_on, by
    locked.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=locked,
        purpose=Purpose.NETWORK,
        detail={
            "covenant": locked.covenant_id,
            "organisation": locked.organisation_id,
            "withdrawn_on": str(withdrawn_on),
        },
    )
    return locked
