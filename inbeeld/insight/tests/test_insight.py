"""Uploading encoded lists and linking them into an overlap and a dark-number estimate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inbeeld.accounts.models import Organisation, OrganisationType, Role
from inbeeld.insight.models import EncodedList, LinkageRun
from inbeeld.insight.tasks import linkage_run_task
from inbeeld.insight.tests.encoded import EncodedLists, encoded_lists
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db

UPLOAD = reverse("insight:upload")


@pytest.fixture(scope="module")
def three_lists(tmp_path_factory: pytest.TempPathFactory) -> EncodedLists:
    return encoded_lists(tmp_path_factory.mktemp("lists"))


def partner(name: str, kind: str = OrganisationType.POLICE, code: str = "VR19") -> Any:
    organisation = OrganisationFactory.create(name=name, type=kind, region=region(code))
    return staff_user(role=Role.KETENPARTNER, organisation=organisation)


def upload(user: Any, data: bytes, year: int = 2025, *, replace: bool = False) -> Any:
    organisation = Organisation.objects.get(memberships__user=user)
    form = {
        "organisation": organisation.pk,
        "year": year,
        "file": SimpleUploadedFile("encoded.csv", data, content_type="text/csv"),
    }
    return verified_client(user).post(UPLOAD, form | ({"replace": "on"} if replace else {}))


def test_a_partner_uploads_an_encoded_list(three_lists: EncodedLists) -> None:
    police = partner("Politie Zeeland-West-Brabant")
    response = upload(police, three_lists.files[0])
    assert response.status_code == 302
    stored = EncodedList.objects.get()
    assert stored.list_name == "politie-zeeland-west-brabant"
    assert stored.record_count == three_lists.files[0].count(b"\n") - 1


def test_a_second_upload_for_the_same_year_asks_before_replacing(
    three_lists: EncodedLists,
) -> None:
    police = partner("Politie")
    upload(police, three_lists.files[0])
    first = EncodedList.objects.get()
    response = upload(police, three_lists.files[1])
    assert response.status_code == 200
    page = response.content.decode()
    # The question sits at its own field, and names the list it would replace.
    assert 'id="id_replace_error"' in page
    assert 'type="checkbox" name="replace"' in page
    assert f"met {first.record_count} records" in page
    assert EncodedList.objects.get().record_count == first.record_count  # nothing replaced
    confirmed = upload(police, three_lists.files[1], replace=True)
    assert confirmed.status_code == 302
    assert EncodedList.objects.get().record_count == three_lists.files[1].count(b"\n") - 1


def test_a_first_upload_asks_nothing(three_lists: EncodedLists) -> None:
    police = partner("Politie")
    upload(police, three_lists.files[0], year=2024)
    page = verified_client(police).get(UPLOAD).content.decode()
    assert 'type="checkbox" name="replace"' not in page
    assert upload(police, three_lists.files[1], year=2025).status_code == 302
    assert EncodedList.objects.count() == 2


def test_a_plain_list_with_names_is_refused_and_nothing_is_stored() -> None:
    police = partner("Politie")
    plain = b"id,given_name,surname\n1,Jan,Jansen\n"
    response = upload(police, plain)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    assert "not an encoded file" in page
    assert not EncodedList.objects.exists()


def test_a_broken_line_is_named_in_the_message(three_lists: EncodedLists) -> None:
    lines = three_lists.files[0].split(b"\n")
    lines[3] = lines[3].replace(b",", b",!!", 3)
    response = upload(partner("Politie"), b"\n".join(lines))
    assert ":4:" in response.content.decode()
    assert not EncodedList.objects.exists()


def test_a_list_encoded_with_another_key_is_refused(
    three_lists: EncodedLists, tmp_path: Path
) -> None:
    upload(partner("Politie"), three_lists.files[0])
    other_key = encoded_lists(tmp_path, coverage=(0.5,), people=20, seed=11)
    response = upload(
        partner("Veilig Thuis Zeeland", OrganisationType.VEILIG_THUIS), other_key.files[0]
    )
    assert "andere sleutel" in response.content.decode()
    assert EncodedList.objects.count() == 1


def test_the_coordinator_links_the_lists_and_sees_the_estimate(
    three_lists: EncodedLists, django_capture_on_commit_callbacks: Any
) -> None:
    names = ["Politie", "Veilig Thuis Zeeland", "Leger des Heils"]
    for name, data in zip(names, three_lists.files, strict=True):
        upload(partner(name), data)
    client = verified_client(staff_user(role=Role.ZORGCOORDINATOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insight:run_create"), {"region": "VR19", "year": 2025})
    run = LinkageRun.objects.get()
    assert response["Location"] == reverse("insight:run_detail", kwargs={"run_id": run.pk})
    linkage_run_task(run.pk)  # what the worker does
    run.refresh_from_db()
    people = sum(count for _pattern, count in run.histories)
    # Linking counts each person once: within 3 % of the true number of distinct people.
    assert abs(people - three_lists.distinct_people) <= 0.03 * three_lists.distinct_people
    assert run.estimation is not None
    assert run.estimation["observed"] == people
    assert run.estimation["estimate"] >= people
    low, high = run.estimation["interval"]
    assert low <= run.estimation["estimate"] <= high
    page = client.get(response["Location"]).content.decode()
    assert "data:image/svg+xml;base64," in page
    assert 'data-testid="estimate"' in page
    # Lists are named by their organisations; the slug stays the technical column name.
    assert "<td>Veilig Thuis Zeeland</td>" in page
    assert "veilig-thuis-zeeland" not in page
    assert "veilig-thuis-zeeland" in run.sources
    # Every method beside the headline, so that the region sees the spread of its number.
    methods = run.estimation["comparison"]["methods"]
    assert [item["method"] for item in methods] == ["stepwise", "bic", "dga", "lcmcr"]
    assert methods[0]["estimate"] == run.estimation["estimate"]
    assert 'data-testid="comparison"' in page
    assert "Noem de bandbreedte, niet één getal" in page


def test_linking_needs_two_lists(three_lists: EncodedLists) -> None:
    upload(partner("Politie"), three_lists.files[0])
    client = verified_client(staff_user(role=Role.ZORGCOORDINATOR))
    response = client.post(reverse("insight:run_create"), {"region": "VR19", "year": 2025})
    assert response.status_code == 200
    assert (
        "at least two" in response.content.decode() or "minstens twee" in response.content.decode()
    )
    assert not LinkageRun.objects.exists()


def test_a_coordinator_cannot_link_another_regions_lists(three_lists: EncodedLists) -> None:
    client = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
    response = client.post(reverse("insight:run_create"), {"region": "VR04", "year": 2025})
    assert response.status_code == 200
    assert 'id="id_region_error"' in response.content.decode()
    assert not LinkageRun.objects.exists()


def test_a_partner_sees_only_its_own_uploads(three_lists: EncodedLists) -> None:
    police, shelter = partner("Politie"), partner("Opvang", OrganisationType.SHELTER)
    upload(police, three_lists.files[0])
    page = verified_client(shelter).get(reverse("insight:overview")).content.decode()
    assert "Politie" not in page
