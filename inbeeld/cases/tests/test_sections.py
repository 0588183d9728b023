"""Another app's section and timeline entries appear on the case page (sections.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.cases import sections
from inbeeld.cases.models import Case
from inbeeld.cases.tests.helpers import world_case
from inbeeld.cases.timeline import TimelineItem, case_timeline
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sections, "_SECTIONS", {})
    monkeypatch.setattr(sections, "_TIMELINE_SOURCES", {})
    yield


def test_a_registered_timeline_source_joins_the_chronology(
    world: World, empty_registry: None
) -> None:
    case = world_case(world)
    later = timezone.now() + timedelta(days=1)
    sections.case_timeline_source_register(
        "plan", lambda c: [TimelineItem(later, "careplan", f"plan of {c.reference}")]
    )
    last = case_timeline(case)[-1]
    assert (last.kind, last.title) == ("careplan", f"plan of {case.reference}")


def test_a_registered_section_is_on_the_case_page_with_its_own_context(
    world: World, empty_registry: None, tmp_path: Path, settings: Any
) -> None:
    seen: list[tuple[Case, bool]] = []

    def context(request: Any, user: Any, case: Case, editable: bool) -> dict[str, Any]:
        seen.append((case, editable))
        return {"reference": case.reference}

    (tmp_path / "section.html").write_text(
        '<section data-testid="extra">plan {{ reference }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    sections.case_section_register(sections.CaseSection("extra", "section.html", context))
    case = world_case(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'<section data-testid="extra">plan {case.reference}</section>' in page
    assert seen == [(case, True)]
