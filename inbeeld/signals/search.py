"""Searching the signals a person may already see: by receipt code, municipality, name,
phone number and, within a bounded set, free text in the description.

Never wider than the queue: every search starts from ``access.signals_visible_to`` (the
same gate as the queue and a signal's page), and only narrows it. Names and phone numbers
are compared by their keyed hashes (blind index, privacy/identifiers.py): nothing is
decrypted to find them. Only the free text needs the description itself, so it is looked
for in at most ``TEXT_CANDIDATES`` of the user's visible signals, the most recent first,
after the cheap criteria (municipality, status) have narrowed them: decrypting a whole
region's signals for one search would be slow, and would read far more personal data than
the search needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from inbeeld.accounts.models import User
from inbeeld.audit.chain import value_digest
from inbeeld.privacy.identifiers import name_index, normalised_phone, phone_index
from inbeeld.signals import access
from inbeeld.signals.models import IdentifierKind, Signal, SignalIdentifier

# How many visible signals (most recent first) the free text is looked for in.
TEXT_CANDIDATES = 500
# How many results a search shows: a search narrows, it is no second queue.
MAX_RESULTS = 50
MIN_TEXT_LENGTH = 3

MATCH_LABELS: dict[str, StrOrPromise] = {
    "code": _("receipt code"),
    "municipality": _("municipality"),
    "name": _("name"),
    "phone": _("phone number"),
    "text": _("description"),
}


@dataclass
class SearchResult:
    signals: list[Signal] = field(default_factory=list)
    matched: dict[int, list[str]] = field(default_factory=dict)  # signal id → match kinds
    text_limited: bool = False  # the free text was not looked for in every visible signal

    def labels(self, signal: Signal) -> list[str]:
        return [str(MATCH_LABELS[kind]) for kind in self.matched.get(signal.pk, [])]


def search_term_digest(term: str) -> str:
    """What the audit trail keeps of a search term: a keyed digest, never the term.

    A search names a person; the trail must not become a list of the names people looked
    for. The keyed digest still lets the FG check whether someone searched for a given name
    (she computes its digest with the same key), which is what supervision needs.
    """
    return value_digest(" ".join(term.casefold().split()))


def signals_search(
    *,
    user: User,
    term: str,
    municipality_id: int | None = None,
    status: str = "",
) -> SearchResult:
    """The visible signals that match ``term`` on any criterion, most urgent first."""
    visible = access.signals_visible_to(user).filter(merged_into__isnull=True)
    if municipality_id:
        visible = visible.filter(municipality_id=municipality_id)
    if status:
        visible = visible.filter(status=status)
    term = term.strip()
    matched: dict[int, list[str]] = {}

    def note(kind: str, ids: list[int]) -> None:
        for pk in ids:
            matched.setdefault(pk, []).append(kind)

    if term:
        note("code", list(visible.filter(receipt_code=term.upper()).values_list("pk", flat=True)))
        note(
            "municipality",
            list(visible.filter(municipality__name__iexact=term).values_list("pk", flat=True)),
        )
        note("name", _by_identifier(visible, IdentifierKind.NAME, name_index(term)))
        phone = normalised_phone(term)
        if phone:
            note("phone", _by_identifier(visible, IdentifierKind.PHONE, phone_index(phone)))
    text_limited = False
    if len(term) >= MIN_TEXT_LENGTH:
        ids, text_limited = _by_text(visible, term)
        note("text", ids)
    found = (
        Signal.objects.filter(pk__in=list(matched))
        .select_related("municipality", "region")
        .order_by("-acute", "-risk_score", "-created_at")[:MAX_RESULTS]
    )
    return SearchResult(signals=list(found), matched=matched, text_limited=text_limited)


def _by_identifier(visible: QuerySet[Signal], kind: str, index: str) -> list[int]:
    if not index:
        return []
    hashed = SignalIdentifier.objects.filter(kind=kind, index=index).values("signal_id")
    signals = visible.filter(
        Q(pk__in=hashed) | (Q(victim_name_index=index) if kind == IdentifierKind.NAME else Q())
    )
    return list(signals.values_list("pk", flat=True))


def _by_text(visible: QuerySet[Signal], term: str) -> tuple[list[int], bool]:
    """Ids of the candidates whose description holds ``term`` (case-insensitive)."""
    candidates = list(
        visible.order_by("-created_at").values_list("pk", "description")[: TEXT_CANDIDATES + 1]
    )
    limited = len(candidates) > TEXT_CANDIDATES
    wanted = term.casefold()
    ids = [pk for pk, text in candidates[:TEXT_CANDIDATES] if wanted in (text or "").casefold()]
    return ids, limited
