"""The case table's API: a partner's system reads its actions and meetings, never more."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from inbeeld.accounts.tokens import api_token_create
from inbeeld.casetable.models import AgendaItem, Outcome
from inbeeld.casetable.pending import pseudonym_of
from inbeeld.casetable.services import (
    ActionInput,
    DecisionInput,
    action_add,
    agenda_build,
    decision_record,
    item_notes_save,
)
from inbeeld.casetable.tests.helpers import table

pytestmark = pytest.mark.django_db


def _get(user: Any, url: str) -> Any:
    token = api_token_create(user=user)
    return Client().get(url, headers={"Authorization": f"Token {token}"})


def test_meetings_show_items_pseudonymised_and_only_the_callers_share(world: Any) -> None:
    from django.utils import timezone

    setup = table(world)
    agenda_build(by=setup.chair, meeting=setup.meeting)
    item = AgendaItem.objects.get()
    item_notes_save(by=setup.chair, item=item, notes="API-KANARIE-NOTITIE")
    decision_record(
        by=setup.chair,
        item=item,
        data=DecisionInput(
            outcome=Outcome.LEAD_PARTNER, lead=setup.inspectorate, shared="API-GEDEELD"
        ),
    )
    action = action_add(
        by=setup.chair,
        item=item,
        data=ActionInput(
            title="Bellen", owner_organisation=setup.inspectorate, due=timezone.localdate()
        ),
    )
    inspector = _get(setup.inspector, "/api/v1/meetings/").content.decode()
    assert pseudonym_of(setup.signal) in inspector and "API-GEDEELD" in inspector
    assert "API-KANARIE-NOTITIE" not in inspector and setup.signal.receipt_code not in inspector
    shelter = _get(setup.shelter_worker, "/api/v1/meetings/").content.decode()
    assert pseudonym_of(setup.signal) in shelter and "API-GEDEELD" not in shelter
    assert _get(world.reporter("A"), "/api/v1/meetings/").json()["results"] == []
    actions = _get(setup.inspector, "/api/v1/actions/").json()["results"]
    assert [a["id"] for a in actions] == [action.pk]
    assert actions[0]["item"] == pseudonym_of(setup.signal)
    assert _get(setup.shelter_worker, "/api/v1/actions/").json()["results"] == []
