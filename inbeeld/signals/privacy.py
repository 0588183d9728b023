"""Signals' registration with privacy/ (registry.py): what happens to a signal and its rows.

Retention (docs/privacy.md): a signal closed as "no human trafficking" goes 6 months after
closing, one closed as "other problems, referred" after 2 years; a region may set both. Open
signals, signals about a presumed victim and restricted signals stay, and say so on the FG's
retention page. A removed signal takes its notes, attachments, additions, keyed hashes,
shares, consents and merge records with it, and the signals merged into it.

Data-subject rights: the FG finds a signal by the keyed hashes of the name and the phone
numbers (SignalIdentifier, and the name's hash on the signal itself).

Erasure rule: erasure is refused while partners act on the signal (at the case table, or
transferred directly), because the record of what was shared and done is then still needed
for the handling and for legal claims (AVG art. 17(3)(b) and (e)). The FG first restricts
processing, with its reason, which takes the signal out of everyone's hands; after that
erasure is possible. An erased signal cannot be erased again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.privacy.export import when
from inbeeld.privacy.registry import (
    HOLDS_MERGED,
    Kept,
    PersonalDataKind,
    RecordSummary,
    Related,
    SubjectQuery,
    SubjectRights,
    registry,
)
from inbeeld.privacy.retention import RetentionRule
from inbeeld.signals.concurrency import signal_version_bump
from inbeeld.signals.models import (
    IdentifierKind,
    Outcome,
    Signal,
    SignalIdentifier,
    SignalMerge,
    Status,
)
from inbeeld.signals.privacy_export import NOT_INCLUDED, SELECT_RELATED, signal_export
from inbeeld.signals.sections import signal_privacy_parts
from inbeeld.tasks.privacy import task_details_erase

ERASED = "[erased]"
# Emptied by erasure; the description is required, so it keeps a fixed marker instead.
ERASED_FIELDS = (
    "victim_name",
    "victim_name_index",
    "victim_date_of_birth",
    "victim_nationality",
    "victim_nationality_text",
    "reporter_contact",
    "phone_numbers",
    "place_text",
    "submission_digest",  # a keyed digest of the submission, names included
)
# Partners act on these: erasure waits until the FG has restricted processing first.
ERASURE_NEEDS_RESTRICTION = (Status.CASE_TABLE, Status.TRANSFERRED)


# --- retention --------------------------------------------------------------------------


def signals_along(ids: list[int]) -> dict[int, int]:
    """Signals merged into a removed signal go with it: {merged signal: the signal it joined}.

    A merged signal is no longer handled on its own (it leaves the queue and is not closed
    separately), so it would never become due itself; it is part of the signal it joined.
    """
    followers = Signal.objects.filter(merged_into__in=ids).exclude(pk__in=ids)
    return dict(followers.values_list("pk", "merged_into_id"))


def signal_merges_clear(ids: list[int]) -> Counter[tuple[int, str]]:
    """Merge records that name a removed signal, per signal: a merge with a removed signal
    means nothing any more, also when the other signal is kept (that one's own history and
    audit trail stay)."""
    rows = SignalMerge.objects.filter(Q(kept__in=ids) | Q(merged__in=ids))
    removed: Counter[tuple[int, str]] = Counter()
    for kept_id, merged_id in rows.values_list("kept_id", "merged_id"):
        for signal_id in {kept_id, merged_id} & set(ids):
            removed[(signal_id, "signals.signalmerge")] += 1
    rows.delete()
    return removed


# Only signals that are not under an AVG art. 18 restriction: a restricted signal is kept
# on purpose (for example for a legal claim), until the FG lifts the restriction.
_CLOSED_AS = (("status", Status.CLOSED), ("restricted", False))

RULES = (
    # Signals that turned out not to be about human trafficking: kept 6 months after
    # closing, long enough to recognise a new signal about the same situation.
    RetentionRule(
        "signal_no_trafficking",
        gettext_lazy("Signals closed as no human trafficking"),
        "signals.Signal",
        "closed_at",
        "region",
        183,
        condition=(*_CLOSED_AS, ("outcome", Outcome.NO_TRAFFICKING)),
        along=signals_along,
        clear=signal_merges_clear,
    ),
    # Referred to other help (debt, housing, labour law): two years after closing, because
    # such signals are often followed by a new one that does concern trafficking.
    RetentionRule(
        "signal_closed_other",
        gettext_lazy("Signals closed as other problems, referred"),
        "signals.Signal",
        "closed_at",
        "region",
        730,
        condition=(*_CLOSED_AS, ("outcome", Outcome.OTHER_PROBLEMS)),
        along=signals_along,
        clear=signal_merges_clear,
    ),
)
KEPT = (
    Kept(
        gettext_lazy(
            "Kept while they are being handled. Once closed, the period for their outcome applies."
        ),
        label=gettext_lazy("Open signals"),
    ),
    # No rule yet: the retention rules for cases, which take these signals over, decide.
    Kept(
        gettext_lazy(
            "Kept until the retention rules for cases exist: cases will take these signals over."
        ),
        label=gettext_lazy("Signals closed as presumed victim"),
    ),
    Kept(
        gettext_lazy("Kept until the FG lifts the restriction; then the periods above apply."),
        label=gettext_lazy("Signals whose processing is restricted (AVG art. 18)"),
    ),
    Kept(
        gettext_lazy("Removed together with the signal they were merged into."),
        label=gettext_lazy("Signals merged into another signal"),
    ),
)
GO_WITH_SIGNAL = gettext_lazy(
    'Removed with their signal. When the signal is erased, their text becomes "[erased]".'
)
RELATED = (
    Related(
        "signals.SignalAttachment",
        gettext_lazy("Attachments"),
        gettext_lazy("Removed with their signal, and deleted when the signal is erased."),
    ),
    Related("signals.SignalNote", gettext_lazy("Notes"), GO_WITH_SIGNAL),
    Related("signals.ReporterAddition", gettext_lazy("Additions by the reporter"), GO_WITH_SIGNAL),
    Related(
        "signals.SignalIdentifier",
        gettext_lazy("Keyed hashes of names and phone numbers"),
        gettext_lazy("Removed with their signal, and deleted when the signal is erased."),
    ),
    Related(
        "signals.SignalMerge",
        gettext_lazy("Merges"),
        gettext_lazy(
            "Removed when either signal is removed; the reason is emptied when either is erased."
        ),
    ),
)


# --- data-subject rights -----------------------------------------------------------------


def _ids_by_identifier(kind: str, indexes: Iterable[str]) -> set[int]:
    return set(
        SignalIdentifier.objects.filter(kind=kind, index__in=list(indexes)).values_list(
            "signal_id", flat=True
        )
    )


class SignalRights(SubjectRights[Signal]):
    slug = "signalen"
    singular = gettext_lazy("Signal")
    export_key = "signals"
    export_template = "signals/privacy_export.html"
    export_intro = gettext_lazy(
        "Attachments are listed; the files themselves can be opened from the signal by the "
        "people who handle it, and the FG can hand them over on request."
    )
    not_included = NOT_INCLUDED
    select_related = SELECT_RELATED
    erasure_explanation = gettext_lazy(
        "Empties the name, date of birth, nationality, phone numbers, place, description and "
        "the reporter's contact details, the texts of additions and notes, and removes the "
        "attachments and the name and phone hashes. What the statistics need stays: region, "
        "municipality, dates, forms, indicators, risk score, status, outcome, age band and "
        "gender. This cannot be undone."
    )

    def matches(self, query: SubjectQuery) -> dict[int, set[str]]:
        matched: dict[int, set[str]] = {}
        if query.name_index:
            by_name = _ids_by_identifier(IdentifierKind.NAME, [query.name_index])
            on_signal = Signal.objects.filter(victim_name_index=query.name_index)
            for pk in by_name | set(on_signal.values_list("pk", flat=True)):
                matched.setdefault(pk, set()).add("name")
        for pk in _ids_by_identifier(IdentifierKind.PHONE, query.phone_indexes):
            matched.setdefault(pk, set()).add("phone")
        # A signal merged into another lives on in that one: list it too, saying why.
        holders = Signal.objects.filter(pk__in=matched, merged_into__isnull=False)
        for pk in holders.values_list("merged_into_id", flat=True):
            matched.setdefault(pk, set()).add(HOLDS_MERGED)
        return matched

    def date_of_birth(self, record: Signal) -> str:
        return record.victim_date_of_birth or ""

    def summary(self, record: Signal) -> RecordSummary:
        status = record.get_status_display()
        if record.outcome:
            status = f"{status}: {record.get_outcome_display()}"
        return RecordSummary(
            code=record.receipt_code,
            region=record.region,
            received=record.created_at,
            status=status,
            restricted=record.restricted,
            restriction_reason=record.restriction_reason,
            erased_at=record.erased_at,
            merged_into=record.merged_into.receipt_code if record.merged_into else "",
        )

    def export(self, record: Signal) -> dict[str, Any]:
        return signal_export(record)

    def erasure_refusal(self, record: Signal) -> str:
        if record.erased_at is not None:
            return _("The identifying data of this signal were already erased on %(when)s.") % {
                "when": when(record.erased_at)
            }
        if record.status in ERASURE_NEEDS_RESTRICTION and not record.restricted:
            return _(
                "This signal is %(status)s: partners are acting on it, and the record of what "
                "was shared and done is still needed for the handling and for legal claims (AVG "
                "art. 17(3)(b) and (e)). Restrict processing first, with the reason; after that "
                "the signal can be erased."
            ) % {"status": record.get_status_display().lower()}
        return ""

    def erase(self, record: Signal) -> dict[str, int]:
        """Empty the identifying data; keep region, municipality, dates, forms, indicators,
        methods, risk score, status and outcome, age band and gender."""
        for name in ERASED_FIELDS:
            setattr(record, name, "")
        record.description = ERASED
        record.erased_at = timezone.now()
        record.save(update_fields=[*ERASED_FIELDS, "description", "erased_at", "updated_at"])
        signal_version_bump(record)  # pages opened before this step can no longer change it
        merges = SignalMerge.objects.filter(Q(kept=record) | Q(merged=record))
        return {
            "identifiers": record.identifiers.all().delete()[0],
            "attachments": record.attachments.all().delete()[0],
            "additions": record.additions.update(text=ERASED, submission_digest=""),
            "notes": record.notes.update(text=ERASED),
            "merge_reasons": merges.update(reason=""),
            "task_details": task_details_erase(record),
            # What the apps that build on a signal hold of it (sections.py: the case table).
            **{part.name: part.erase(record) for part in signal_privacy_parts()},
        }

    def is_restricted(self, record: Signal) -> bool:
        return record.restricted

    def restrict(self, record: Signal, reason: str) -> None:
        record.restricted, record.restriction_reason = True, reason
        record.save(update_fields=["restricted", "restriction_reason", "updated_at"])
        signal_version_bump(record)  # pages opened before this step can no longer change it

    def lift(self, record: Signal) -> None:
        record.restricted, record.restriction_reason = False, ""
        record.save(update_fields=["restricted", "restriction_reason", "updated_at"])
        signal_version_bump(record)  # pages opened before this step can no longer change it


SIGNALS = registry.register(
    PersonalDataKind(
        model=Signal,
        label=gettext_lazy("Signals"),
        retention=RULES,
        kept=KEPT,
        related=RELATED,
        subject=SignalRights(),
    )
)
