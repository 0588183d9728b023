"""Organisations taking part in a case: the active CASE_INVITE shares on it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from inbeeld.cases.models import Case
from inbeeld.privacy.models import Share, ShareKind


def case_invites(case_id: int) -> QuerySet[Share]:
    return Share.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=case_id,
        kind=ShareKind.CASE_INVITE,
    )


def participant_organisation_ids(case: Any) -> set[int]:
    """Organisations invited to ``case`` whose invitation has not ended."""
    if getattr(case, "pk", None) is None:
        return set()
    ids = case_invites(case.pk).filter(ended_at__isnull=True, to_organisation__isnull=False)
    return set(ids.values_list("to_organisation_id", flat=True))
