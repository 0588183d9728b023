"""The waiting requests per kind of place on the region's capacity overview
(shelter/overview.py asks the sources registered with it; shelter/ does not import this)."""

from __future__ import annotations

from collections.abc import Collection

from inbeeld.placements.models import PlacementRequest, RequestStatus
from inbeeld.placements.waiting import waiting_counts
from inbeeld.shelter.overview import waiting_source_register


def _waiting(region_ids: Collection[int]) -> dict[tuple[int, str], int]:
    return waiting_counts(
        PlacementRequest.objects.filter(
            region_id__in=list(region_ids),
            status=RequestStatus.OPEN,
            case__restricted=False,
            case__status="open",
        )
    )


waiting_source_register(_waiting)
