"""Feedback to the reporting organisation: the kind of outcome, never the details."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from inbeeld.casetable.models import AgendaItem, Outcome
from inbeeld.casetable.services import DecisionInput, agenda_build, decision_record
from inbeeld.casetable.tests.helpers import table
from inbeeld.testing.clients import verified_client

pytestmark = pytest.mark.django_db


def test_the_reporter_learns_that_a_partner_took_it_on_but_not_who_or_what(world: Any) -> None:
    setup = table(world)
    url = reverse("signals:detail", args=[setup.signal.pk])
    reporter = verified_client(world.reporter("A"))
    assert 'data-testid="case-table-feedback"' not in reporter.get(url).content.decode()
    agenda_build(by=setup.chair, meeting=setup.meeting)
    assert "Op de agenda van de overlegtafel" in reporter.get(url).content.decode()
    decision_record(
        by=setup.chair,
        item=AgendaItem.objects.get(),
        data=DecisionInput(
            outcome=Outcome.LEAD_PARTNER, lead=setup.inspectorate, shared="GEHEIM-DETAIL-1234"
        ),
    )
    page = reporter.get(url).content.decode()
    assert "Opgepakt door een partner" in page
    assert "GEHEIM-DETAIL-1234" not in page and "Inspectie A" not in page


def test_no_further_action_is_said_without_the_reason(world: Any) -> None:
    setup = table(world)
    agenda_build(by=setup.chair, meeting=setup.meeting)
    decision_record(
        by=setup.chair,
        item=AgendaItem.objects.get(),
        data=DecisionInput(outcome=Outcome.NO_FURTHER_ACTION, reason="REDEN-GEHEIM-77"),
    )
    url = reverse("signals:detail", args=[setup.signal.pk])
    page = verified_client(world.reporter("A")).get(url).content.decode()
    assert "Geen verdere actie" in page and "REDEN-GEHEIM-77" not in page
