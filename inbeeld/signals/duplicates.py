"""Likely duplicates of a signal, and merging two signals into one (undoable).

Candidates are found without decrypting anything: signals that share a keyed hash of a name
or a phone number (SignalIdentifier, see identifiers.py), and signals in the same
municipality with dates close together; at most ``IDENTIFIER_CANDIDATES`` and
``PLACE_CANDIDATES`` of each, the newest, so at most 100 other signals. Only those are then
weighed on their evidence, which is why the place and time alone no longer make a proposal:

- the same name (4) or a shared phone number (3), by their keyed hashes;
- much the same description (3) or the same place in words (2): compared on the texts
  decrypted in memory for these candidates only, as sets of words, and never stored;
- the same form of exploitation (1), or only other forms (-1);
- the same municipality, with dates 2 days apart or less (2) or within 14 days (1).

A candidate is proposed when something about the situation itself matches (a name, a number,
the description or the place in words) and its evidence adds up to ``MIN_STRENGTH``;
strongest first, with every reason shown. A person decides; a merge only points one signal
at the other, so both keep their own history and an undo restores them as they were.
"""

from __future__ import annotations

import re
import unicodedata
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
CLOSE_DAYS = 2
# The candidates weighed: the newest of each kind. Their texts are decrypted in memory.
IDENTIFIER_CANDIDATES = 50
PLACE_CANDIDATES = 50
MAX_PROPOSALS = 20
# Two descriptions are "much the same" when this share of their words is shared (Jaccard).
SIMILAR_TEXT = 0.5
MIN_STRENGTH = 2

SAME_NAME, SAME_PHONE = "name", "phone"
SIMILAR_DESCRIPTION, SAME_PLACE_TEXT = "description", "place_text"
SAME_FORM, OTHER_FORM = "same_form", "other_form"
CLOSE_IN_TIME, NEAR_IN_TIME = "close_in_time", "near_in_time"
STRENGTH = {
    SAME_NAME: 4,
    SAME_PHONE: 3,
    SIMILAR_DESCRIPTION: 3,
    SAME_PLACE_TEXT: 2,
    CLOSE_IN_TIME: 2,
    NEAR_IN_TIME: 1,
    SAME_FORM: 1,
    OTHER_FORM: -1,
}
# Evidence about the situation itself; time, place and form alone propose nothing.
ABOUT_THE_SITUATION = frozenset({SAME_NAME, SAME_PHONE, SIMILAR_DESCRIPTION, SAME_PLACE_TEXT})
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
# What the evidence is weighed on: description and place are decrypted, for candidates only.
WEIGHED_FIELDS = (
    "id",
    "municipality",
    "incident_date",
    "created_at",
    "exploitation_forms",
    "description",
    "place_text",
    "erased_at",
)
LOCKED_FIELDS = ("id", "receipt_code", "region", "merged_into", "version")


@dataclass(frozen=True)
class Evidence:
    kind: str
    text: str  # the reason, in the current language

    @property
    def weight(self) -> int:
        return STRENGTH[self.kind]


def not_triageable_message() -> str:
    """One message for "not yours" and "not there": neither says whether the signal exists."""
    return _("Choose a signal of your region that you may triage.")


@dataclass
class Proposal:
    """Another signal that may be about the same situation, and why."""

    signal: Signal
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def strength(self) -> int:
        return sum(item.weight for item in self.evidence)

    @property
    def kinds(self) -> list[str]:
        return [item.kind for item in self.evidence]

    @property
    def reasons(self) -> list[str]:
        """Every reason in the current language, strongest first (against it last)."""
        return [item.text for item in self.evidence]

    @property
    def merge_reason(self) -> str:
        """What the merge form offers as its reason: the evidence for it."""
        return "; ".join(item.text for item in self.evidence if item.weight > 0)


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


def _identifier_matches(signal: Signal, candidates: QuerySet[Signal]) -> dict[int, set[str]]:
    """Candidate id → kinds of identifier hash it shares with ``signal`` (index lookups only)."""
    own = SignalIdentifier.objects.filter(signal=signal).values_list("kind", "index")
    by_kind: dict[str, set[str]] = {}
    for kind, index in own:
        by_kind.setdefault(kind, set()).add(index)
    matches: dict[int, set[str]] = {}
    for kind, indexes in by_kind.items():
        holders = SignalIdentifier.objects.filter(kind=kind, index__in=indexes)
        shared = (
            candidates.filter(pk__in=holders.values("signal_id"))
            .order_by("-created_at")
            .values_list("pk", flat=True)[:IDENTIFIER_CANDIDATES]
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


def _words(text: str) -> set[str]:
    """The words of a text, for comparing: lower case, without accents, three letters up."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return {word for word in re.findall(r"\w+", plain) if len(word) >= 3}


def _alike(one: set[str], other: set[str]) -> float:
    """The share of words two texts have in common (Jaccard), 0 when either has none."""
    if not one or not other:
        return 0.0
    return len(one & other) / len(one | other)


def _evidence(signal: Signal, other: Signal, shared: set[str]) -> list[Evidence]:
    """What speaks for (and against) ``other`` being about the same situation."""
    found = [Evidence(kind, _reason(kind)) for kind in (SAME_NAME, SAME_PHONE) if kind in shared]
    if signal.erased_at is None and other.erased_at is None:  # erased texts say nothing
        alike = _alike(_words(str(signal.description)), _words(str(other.description)))
        if alike >= SIMILAR_TEXT:
            found.append(Evidence(SIMILAR_DESCRIPTION, _reason(SIMILAR_DESCRIPTION, alike)))
        place, other_place = _words(str(signal.place_text)), _words(str(other.place_text))
        if place and place == other_place:
            found.append(Evidence(SAME_PLACE_TEXT, _reason(SAME_PLACE_TEXT)))
    forms, other_forms = set(signal.exploitation_forms), set(other.exploitation_forms)
    if forms & other_forms:
        found.append(Evidence(SAME_FORM, _reason(SAME_FORM)))
    elif forms and other_forms:
        found.append(Evidence(OTHER_FORM, _reason(OTHER_FORM)))
    if signal.municipality_id is not None and signal.municipality_id == other.municipality_id:
        apart = abs((_effective_date(signal) - _effective_date(other)).days)
        if apart <= DATE_WINDOW_DAYS:
            kind = CLOSE_IN_TIME if apart <= CLOSE_DAYS else NEAR_IN_TIME
            found.append(Evidence(kind, _reason(kind, apart)))
    return sorted(found, key=lambda item: -item.weight)


def _reason(kind: str, value: float = 0) -> str:
    if kind == SAME_NAME:
        return _("Same name of the possible victim")
    if kind == SAME_PHONE:
        return _("Shared phone number")
    if kind == SIMILAR_DESCRIPTION:
        return _("Much the same description (%(percent)d%% of the words shared)") % {
            "percent": round(100 * value)
        }
    if kind == SAME_PLACE_TEXT:
        return _("Same place in words")
    if kind == SAME_FORM:
        return _("Same form of exploitation")
    if kind == OTHER_FORM:
        return _("Another form of exploitation")
    return _("Same municipality, %(days)d days apart") % {"days": int(value)}


def duplicate_proposals(*, signal: Signal, user: User) -> list[Proposal]:
    """Signals the user may see that are likely about the same situation, strongest first."""
    if signal.merged_into_id is not None:
        return []
    candidates = _candidates(signal=signal, user=user)
    shared = _identifier_matches(signal, candidates)
    ids = set(shared) | _place_and_date_matches(signal, candidates)
    weighed = candidates.filter(pk__in=ids).only(*WEIGHED_FIELDS)
    strength: dict[int, list[Evidence]] = {}
    for other in weighed:
        evidence = _evidence(signal, other, shared.get(other.pk, set()))
        about = any(item.kind in ABOUT_THE_SITUATION for item in evidence)
        if about and sum(item.weight for item in evidence) >= MIN_STRENGTH:
            strength[other.pk] = evidence
    found = (
        candidates.filter(pk__in=strength)
        .select_related("municipality")
        .only(*LISTED_FIELDS)
        .order_by("-created_at")
    )
    proposals = [Proposal(other, strength[other.pk]) for other in found]
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
