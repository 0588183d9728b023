"""Likely duplicates of a signal, and merging two signals into one (undoable).

Duplicates are found without decrypting anything: two signals that share a keyed hash of a
name or a phone number (SignalIdentifier, see identifiers.py), or that name the same
municipality with dates close together, are proposed. A person decides; a merge only points
one signal at the other, so both keep their own history and an undo restores them as they
were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, audit_record_reads
from inbeeld.signals import access
from inbeeld.signals.concurrency import signal_claim, signal_version_bump, signals_claim
from inbeeld.signals.models import IdentifierKind, Signal, SignalIdentifier, SignalMerge

# Incidents reported within this many days of each other in one municipality may be one.
DATE_WINDOW_DAYS = 14
# A busy municipality has many signals a fortnight apart: offer the newest few, not all.
PLACE_CANDIDATES = 25
MAX_PROPOSALS = 20

# Strength of each kind of evidence: a shared name or number outweighs place and time.
SAME_NAME, SAME_PHONE, SAME_PLACE_AND_DATE = "name", "phone", "place_date"
STRENGTH = {SAME_NAME: 4, SAME_PHONE: 3, SAME_PLACE_AND_DATE: 1}
# Only what the panel shows; the encrypted fields stay unread (and undecrypted).
LISTED_FIELDS = (
    "id",
    "receipt_code",
    "region",
    "municipality__name",
    "incident_date",
    "created_at",
    "status",
    "merged_into",
    "version",  # the merge form sends it back: the proposal as the person saw it
)
LOCKED_FIELDS = ("id", "receipt_code", "region", "merged_into", "version")


def _reason_label(kind: str) -> str:
    labels = {
        SAME_NAME: _("Same name of the possible victim"),
        SAME_PHONE: _("Shared phone number"),
        SAME_PLACE_AND_DATE: _("Same municipality, dates within %(days)s days")
        % {"days": DATE_WINDOW_DAYS},
    }
    return labels[kind]


def not_triageable_message() -> str:
    """One message for "not yours" and "not there": neither says whether the signal exists."""
    return _("Choose a signal of your region that you may triage.")


@dataclass
class Proposal:
    """Another signal that may be about the same situation, and why."""

    signal: Signal
    kinds: list[str] = field(default_factory=list)

    @property
    def strength(self) -> int:
        return sum(STRENGTH[kind] for kind in self.kinds)

    @property
    def reasons(self) -> list[str]:
        """The reasons in the current language, strongest first."""
        return [_reason_label(kind) for kind in self.kinds]


def _effective_date(signal: Signal) -> date:
    """The incident date; when the reporter did not know it, the day it was received."""
    return signal.incident_date or timezone.localdate(signal.created_at)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _candidates(*, signal: Signal, user: User) -> QuerySet[Signal]:
    """Signals the user may see in the same region that could still be merged."""
    return (
        access.signals_visible_to(user)
        .filter(region_id=signal.region_id, merged_into__isnull=True)
        .exclude(pk=signal.pk)
    )


def _identifier_matches(signal: Signal) -> dict[int, set[str]]:
    """Signal id → kinds of identifier hash it shares with ``signal`` (index lookups only)."""
    own = SignalIdentifier.objects.filter(signal=signal).values_list("kind", "index")
    by_kind: dict[str, set[str]] = {}
    for kind, index in own:
        by_kind.setdefault(kind, set()).add(index)
    matches: dict[int, set[str]] = {}
    for kind, indexes in by_kind.items():
        shared = (
            SignalIdentifier.objects.filter(kind=kind, index__in=indexes)
            .exclude(signal=signal)
            .values_list("signal_id", flat=True)
        )
        reason = SAME_NAME if kind == IdentifierKind.NAME else SAME_PHONE
        for signal_id in shared:
            matches.setdefault(signal_id, set()).add(reason)
    return matches


def _place_and_date_matches(signal: Signal, candidates: QuerySet[Signal]) -> set[int]:
    if signal.municipality_id is None:
        return set()
    day = _effective_date(signal)
    first, last = day - timedelta(days=DATE_WINDOW_DAYS), day + timedelta(days=DATE_WINDOW_DAYS)
    dated = Q(incident_date__range=(first, last))
    undated = Q(
        incident_date__isnull=True,
        created_at__gte=_day_start(first),
        created_at__lt=_day_start(last + timedelta(days=1)),
    )
    nearby = candidates.filter(dated | undated, municipality_id=signal.municipality_id)
    return set(nearby.order_by("-created_at").values_list("pk", flat=True)[:PLACE_CANDIDATES])


def duplicate_proposals(*, signal: Signal, user: User) -> list[Proposal]:
    """Signals the user may see that are likely about the same situation, strongest first."""
    if signal.merged_into_id is not None:
        return []
    candidates = _candidates(signal=signal, user=user)
    kinds = _identifier_matches(signal)
    for signal_id in _place_and_date_matches(signal, candidates):
        kinds.setdefault(signal_id, set()).add(SAME_PLACE_AND_DATE)
    found = (
        candidates.filter(pk__in=kinds)
        .select_related("municipality")
        .only(*LISTED_FIELDS)
        .order_by("-created_at")
    )
    proposals = [
        Proposal(other, sorted(kinds[other.pk], key=lambda kind: -STRENGTH[kind]))
        for other in found
    ]
    # Stable sort: equally strong proposals stay newest first.
    proposals.sort(key=lambda proposal: -proposal.strength)
    shown = proposals[:MAX_PROPOSALS]
    if shown:
        # Proposals show other signals to the person triaging: one entry names them all.
        audit_record_reads(
            actor=user,
            records=[proposal.signal for proposal in shown],
            purpose=Purpose.DUPLICATES,
            detail={"for_signal": signal.pk},
        )
    return shown


def _locked(*signals: Signal) -> dict[int, Signal]:
    """Fresh, locked copies, so that two people merging at once cannot both succeed."""
    ids = [s.pk for s in signals]
    # In id order, as signals_claim: two steps on the same signals wait, never deadlock.
    rows = Signal.objects.select_for_update().filter(pk__in=ids).only(*LOCKED_FIELDS).order_by("pk")
    return {row.pk: row for row in rows}


def _merge_errors(*, by: User, kept: Signal, merged: Signal) -> dict[str, list[str]]:
    if kept.pk == merged.pk:
        return {"other": [_("A signal cannot be merged into itself.")]}
    if not (access.may_triage(by, kept) and access.may_triage(by, merged)):
        return {"other": [not_triageable_message()]}
    if kept.region_id != merged.region_id:
        return {"other": [_("Only signals of the same region can be merged.")]}
    if merged.merged_into_id is not None:
        return {"other": [_("This signal is already merged into another signal.")]}
    if kept.merged_into_id is not None:
        return {"kept": [_("This signal is itself merged into another signal.")]}
    # One level only: a chain would hide the oldest history from the signal people open.
    if merged.merged_signals.exists():
        return {
            "other": [
                _(
                    "Other signals are merged into this one; merge the other way round "
                    "or undo those merges first."
                )
            ]
        }
    return {}


@transaction.atomic
def signal_merge(
    *,
    by: User,
    kept: Signal,
    merged: Signal,
    kept_version: int,
    merged_version: int,
    reason: str = "",
) -> SignalMerge:
    """Point ``merged`` at ``kept``; both keep their history. ValidationError names the field.

    The versions are those the person saw: of the signal whose page they are on (``kept``)
    and of the proposal they chose; ConcurrentChangeError if either changed since.
    """
    fresh = _locked(kept, merged)
    kept, merged = fresh.get(kept.pk, kept), fresh.get(merged.pk, merged)
    errors = _merge_errors(by=by, kept=kept, merged=merged)
    if errors:
        raise ValidationError(errors)
    signals_claim((kept, kept_version), (merged, merged_version))
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    merge = SignalMerge.objects.create(
        kept=kept, merged=merged, reason=reason.strip(), merged_by=by
    )
    _audit_both(by=by, merge=merge, step="merged")
    return merge


@transaction.atomic
def signal_merge_undo(*, by: User, merge: SignalMerge, signal: Signal, version: int) -> SignalMerge:
    """Separate the two signals again; the merge stays on record as undone.

    ``signal`` is the one of the two whose page the person is on and ``version`` its version
    there (ConcurrentChangeError if it changed since); the other one counts the change too.
    """
    merge = SignalMerge.objects.select_for_update().get(pk=merge.pk)
    fresh = _locked(merge.kept, merge.merged)
    kept, merged = fresh[merge.kept_id], fresh[merge.merged_id]
    in_merge = signal.pk in fresh
    if not (in_merge and access.may_triage(by, kept) and access.may_triage(by, merged)):
        raise ValidationError({"merge": [not_triageable_message()]})
    if merge.undone_at is not None:
        raise ValidationError({"merge": [_("This merge has already been undone.")]})
    signal_claim(fresh[signal.pk], seen_version=version)
    signal_version_bump(merged if signal.pk == kept.pk else kept)
    merge.undone_by, merge.undone_at = by, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    _audit_both(by=by, merge=merge, step="merge undone")
    return merge


def _audit_both(*, by: User, merge: SignalMerge, step: str) -> None:
    """One entry on each signal: whoever reads either trail sees the merge (ids only)."""
    for target, role in ((merge.kept, "kept"), (merge.merged, "merged")):
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=target,
            purpose=Purpose.TRIAGE,
            detail={
                "step": step,
                "role": role,
                "merge": merge.pk,
                "kept": merge.kept_id,
                "merged": merge.merged_id,
            },
        )


def _merged_histories(*, signal: Signal, user: User) -> list[dict[str, Any]]:
    """The signals merged into this one that the user may see, each with its own history.

    Showing them reads their personal data: each read is audited like opening the signal.
    """
    visible = access.signals_visible_to(user).values("pk")
    merges = (
        SignalMerge.objects.filter(kept=signal, undone_at__isnull=True, merged__in=visible)
        .select_related("merged__region", "merged_by")
        .order_by("merged_at")
    )
    histories = []
    shown = list(merges)
    if shown:
        # Showing them reads the merged signals: one entry names them all.
        audit_record_reads(
            actor=user,
            records=[merge.merged for merge in shown],
            purpose=Purpose.TRIAGE,
            detail={"merged_into": signal.pk},
        )
    for merge in shown:
        other = merge.merged
        histories.append(
            {
                "merge": merge,
                "signal": other,
                "additions": list(other.additions.all()),
                "notes": list(other.notes.select_related("author")),
            }
        )
    return histories


def _merged_into(*, signal: Signal, user: User) -> dict[str, Any] | None:
    """For a merged signal: the merge, and the kept signal if the user may open it."""
    if signal.merged_into_id is None:
        return None
    merge = (
        SignalMerge.objects.filter(merged=signal, undone_at__isnull=True)
        .select_related("kept")
        .first()
    )
    kept_visible = access.signals_visible_to(user).filter(pk=signal.merged_into_id).exists()
    return {"merge": merge, "kept": merge.kept if merge and kept_visible else None}


def panel_context(*, signal: Signal, user: User, may_triage: bool) -> dict[str, Any]:
    """What the duplicates panel on a signal's page shows to this user."""
    return {
        "duplicate_proposals": duplicate_proposals(signal=signal, user=user) if may_triage else [],
        "merged_into_info": _merged_into(signal=signal, user=user),
        "merged_histories": _merged_histories(signal=signal, user=user),
    }
