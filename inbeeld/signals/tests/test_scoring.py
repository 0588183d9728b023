"""A signal keeps the risk score it was given, with the catalogue version that gave it.

After a new catalogue (a code dropped, a weight changed) an old signal's page opens, shows
its own score and contributions, and the queue keeps its order; whatever names indicators
(the tip draft) names a dropped code as such instead of failing.
"""

from __future__ import annotations

import copy
import importlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.regions.models import Municipality
from inbeeld.signals import scoring
from inbeeld.signals.indicators import DEFAULT_PATH, load_catalogue
from inbeeld.signals.models import Signal
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.signals.triage import tip_draft
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, staff_user
from inbeeld.testing.migrations import migrate, migrated_back_to

PACKAGED: dict[str, Any] = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def catalogue_file(tmp_path: Path, version: str, change: Any = None) -> Path:
    """The packaged catalogue as ``version``, after ``change(data)``."""
    data = copy.deepcopy(PACKAGED)
    data["version"] = version
    if change is not None:
        change(data)
    path = tmp_path / f"{version}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def catalogue_b(data: dict[str, Any]) -> None:
    """Catalogue B: GEN-DOCS and MET-LOVERBOY dropped, two weights changed."""
    data["indicators"] = [i for i in data["indicators"] if i["code"] != "GEN-DOCS"]
    data["methods"] = [m for m in data["methods"] if m["code"] != "MET-LOVERBOY"]
    for item in data["indicators"]:
        item["weight"] = {"GEN-FEAR": 0.5, "LAB-POOR-HOUSING": 3}.get(item["code"], item["weight"])


def reported(indicators: list[str], methods: Sequence[str] = ()) -> Signal:
    goes = Municipality.objects.get(code="GM0664")
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=goes.region)
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=goes,
            description="Uitbuiting in een kas.",
            indicators=indicators,
            methods=methods,
        ),
        by=staff_user(role=Role.KETENPARTNER, organisation=police),
        organisation=police,
    )
    return signal


def coordinator() -> User:
    return staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")


@pytest.mark.django_db
def test_a_new_signal_keeps_its_score_catalogue_version_and_contributions() -> None:
    signal = reported(["GEN-FEAR", "GEN-DOCS"], ["MET-LOVERBOY"])
    signal.refresh_from_db()
    assert signal.risk_score == 3 + 2.5 + 1
    assert signal.risk_catalogue_version == load_catalogue().version
    assert signal.risk_contributions == [
        {"code": "GEN-DOCS", "kind": "indicator", "weight": 3.0},
        {"code": "MET-LOVERBOY", "kind": "method", "weight": 2.5},
        {"code": "GEN-FEAR", "kind": "indicator", "weight": 1.0},
    ]


def _text(html: str, testid: str, tag: str) -> str:
    """The words inside the ``tag`` element with ``testid``, on one line."""
    found = re.search(rf'<{tag} [^>]*data-testid="{testid}"[^>]*>(.*?)</{tag}>', html, re.S)
    assert found, testid
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.django_db
def test_after_a_catalogue_change_an_old_signal_shows_what_scored_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "CATALOGUE_PATH", catalogue_file(tmp_path, "test.A"))
    old = reported(["GEN-DOCS", "GEN-FEAR"], ["MET-LOVERBOY"])  # A: 3 + 1 + 2.5
    other = reported(["LAB-POOR-HOUSING", "LAB-GROUP-TRANSPORT"])  # A: 1.5 + 1
    monkeypatch.setattr(scoring, "CATALOGUE_PATH", catalogue_file(tmp_path, "test.B", catalogue_b))
    client = verified_client(coordinator())

    response = client.get(reverse("signals:detail", kwargs={"signal_id": old.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert _text(page, "risk-total", "span") == "6,5"
    assert "versie test.A" in _text(page, "risk-version", "span")
    stored = _text(page, "risk", "table")
    assert "GEN-DOCS (niet in de huidige catalogus) 3,0" in stored
    assert "MET-LOVERBOY (niet in de huidige catalogus) 2,5" in stored
    assert "Is gespannen of angstig en durft niet vrijuit te praten. 1,0" in stored  # A's weight
    now = _text(page, "risk-current", "section")
    assert "versie test.B" in now and "zou dit signaal 0,5 scoren" in now
    assert _text(page, "risk-current-unknown", "p").endswith("GEN-DOCS , MET-LOVERBOY")

    # The queue keeps to the stored scores (6.5 before 2.5), not to B's (0.5 and 4).
    queue = client.get(reverse("signals:queue")).context["page"]
    assert [signal.pk for signal in queue] == [old.pk, other.pk]

    draft = tip_draft(old)
    assert "GEN-DOCS (niet in de huidige catalogus)" in draft
    assert "MET-LOVERBOY (niet in de huidige catalogus)" in draft
    tip_page = client.get(reverse("signals:tip", kwargs={"signal_id": old.pk}))
    assert tip_page.status_code == 200


@pytest.mark.django_db
def test_a_signal_of_the_current_catalogue_shows_no_comparison() -> None:
    signal = reported(["GEN-DOCS"])
    page = verified_client(coordinator()).get(
        reverse("signals:detail", kwargs={"signal_id": signal.pk})
    )
    assert page.context["current_score"] is None
    assert 'data-testid="risk-current"' not in page.content.decode()


# --- the data migration for signals stored before the version was kept ----------------------

BEFORE = [("signals", "0009_score_catalogue")]
MIGRATION = importlib.import_module("inbeeld.signals.migrations.0010_record_score_catalogue")


def test_the_migration_weights_are_those_of_catalogue_2026_1() -> None:
    catalogue = load_catalogue()
    if catalogue.version != MIGRATION.VERSION:
        pytest.skip("the packaged catalogue is newer; the frozen copy keeps 2026.1")
    packaged = {i.code: ("indicator", i.weight) for i in catalogue.indicators}
    packaged |= {m.code: ("method", m.weight) for m in catalogue.methods}
    assert packaged == MIGRATION.WEIGHTS


def _stored(apps: Any, receipt: str, indicators: list[str], score: float) -> int:
    municipality = apps.get_model("regions", "Municipality").objects.get(code="GM0664")
    signal = apps.get_model("signals", "Signal").objects.create(
        region_id=municipality.region_id,
        municipality_id=municipality.pk,
        description="Oud signaal",
        source="partner",
        receipt_code=receipt,
        indicators=indicators,
        methods=["MET-LOVERBOY"],
        risk_score=score,
    )
    return int(signal.pk)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_records_the_catalogue_of_stored_signals() -> None:
    with migrated_back_to(BEFORE) as old_apps:
        scored = _stored(old_apps, "MH-OLD2-0001", ["GEN-FEAR", "GEN-DOCS"], 6.5)
        unknown_code = _stored(old_apps, "MH-OLD2-0002", ["XX-NEVER"], 2.5)
        other_sum = _stored(old_apps, "MH-OLD2-0003", ["GEN-DOCS"], 9.0)
        migrate([("signals", "0010_record_score_catalogue")])
    signals = Signal.objects.in_bulk([scored, unknown_code, other_sum])
    assert signals[scored].risk_catalogue_version == "2026.1"
    assert signals[scored].risk_contributions == [
        {"code": "GEN-DOCS", "kind": "indicator", "weight": 3.0},
        {"code": "MET-LOVERBOY", "kind": "method", "weight": 2.5},
        {"code": "GEN-FEAR", "kind": "indicator", "weight": 1.0},
    ]
    for pk in (unknown_code, other_sum):  # not scored by 2026.1 as shipped: not invented
        assert (signals[pk].risk_catalogue_version, signals[pk].risk_contributions) == ("", [])
    assert signals[other_sum].risk_score == 9.0  # the score itself is never changed
    page = verified_client(coordinator()).get(
        reverse("signals:detail", kwargs={"signal_id": unknown_code})
    )
    assert "niet vastgelegd" in page.content.decode()
