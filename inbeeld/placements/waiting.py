"""The waiting list of a region: the open placement requests per kind of place, most
urgent first and then the longest waiting, with the waiting time in days. Pseudonymised
(no name, no case reference): the region's ketenregisseur sees it too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone

from inbeeld.placements.models import URGENCY_ORDER, PlacementRequest
from inbeeld.shelter.models import PlaceKind


@dataclass
class WaitingKind:
    kind: str
    label: str
    requests: list[PlacementRequest] = field(default_factory=list)

    @property
    def average_days(self) -> float | None:
        days = [getattr(request, "waiting_days", 0) for request in self.requests]
        return sum(days) / len(days) if days else None


def waiting_days(request: PlacementRequest, today: date) -> int:
    return (today - timezone.localtime(request.created_at).date()).days


def waiting_list(requests: Iterable[PlacementRequest]) -> list[WaitingKind]:
    today = timezone.localdate()
    kinds = {kind: WaitingKind(kind, str(label)) for kind, label in PlaceKind.choices}
    ordered = sorted(requests, key=lambda r: (URGENCY_ORDER.get(r.urgency, 9), r.created_at, r.pk))
    for request in ordered:
        request.waiting_days = waiting_days(request, today)  # type: ignore[attr-defined]
        kinds[request.kind].requests.append(request)
    return [shown for shown in kinds.values() if shown.requests]


def waiting_counts(requests: QuerySet[PlacementRequest]) -> dict[tuple[int, str], int]:
    """(region id, kind) → open requests: one aggregate query."""
    rows = requests.values("region_id", "kind").annotate(count=Count("pk")).order_by()
    return {(row["region_id"], row["kind"]): row["count"] for row in rows}
