"""The network's pages as people use them: the keepers plan, register and take attendance;
colleagues see the partners' agenda but no names; another region, a partner and an
account with roles in two regions each see only their own part; anonymous visitors see the
public agenda, the feed and the knowledge page, never a name of someone who did not agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import ContactPerson, ContactRole, Role
from inbeeld.audit.models import AuditEntry
from inbeeld.network.models import Activity, Participant, TargetGroup
from inbeeld.network.tests.helpers import activity_in, attend, municipality_of, register
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _activity_form(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "training",
        "title": "Training aandachtsfunctionarissen",
        "date": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "start": "13:30",
        "end": "16:00",
        "place": "Gemeentehuis, Goes",
        "municipality": municipality_of("A").pk,
        "organiser": world.organisation("A").pk,
        "target_groups": ["municipal_staff"],
        "topics": ["signals", "reporting"],
        "capacity": "20",
        "grants_certificate": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_ketenregisseur_plans_registers_and_takes_attendance(world: World) -> None:
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    response = client.post(reverse("network:activity_create"), _activity_form(world), follow=True)
    activity = Activity.objects.get()
    assert activity.target_groups == ["municipal_staff"]
    assert activity.region == world.organisation("A").region
    assert "Training aandachtsfunctionarissen" in response.content.decode()
    url = reverse("network:participant_add", kwargs={"activity_id": activity.pk})
    client.post(
        url,
        {
            "name": "Petra Proef",
            "organisation": world.organisation("A").pk,
            "target_group": "municipal_staff",
            "function": "Aandachtsfunctionaris",
        },
    )
    participant = Participant.objects.get()
    assert str(participant.name) == "Petra Proef"
    attendance = reverse("network:attendance", kwargs={"activity_id": activity.pk})
    page = client.get(attendance).content.decode()
    assert "Petra Proef" in page
    client.post(attendance, {"present": [str(participant.pk)], "public_attendees": "3"})
    participant.refresh_from_db()
    activity.refresh_from_db()
    assert participant.attended is True and activity.public_attendees == 3
    pdf = client.get(
        reverse(
            "network:certificate",
            kwargs={"activity_id": activity.pk, "participant_id": participant.pk},
        )
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(object_type="network.participant", action="export").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target_groups": None}, "target_groups"),
        ({"title": ""}, "title"),
        ({"kind": ""}, "kind"),
        ({"date": ""}, "starts_at"),
        ({"capacity": "0"}, "capacity"),
        ({"start": "16:00", "end": "10:00"}, "ends_at"),
        ({"municipality": None}, "municipality"),
    ],
)
def test_bad_activity_input_is_refused_naming_the_field(
    world: World, changes: dict[str, object], field: str
) -> None:
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    response = client.post(reverse("network:activity_create"), _activity_form(world, **changes))
    assert response.status_code == 200
    assert not Activity.objects.exists()
    errors = response.context["form"].errors
    # A service's field without its own form field shows on top of the form.
    shown = field if field in response.context["form"].fields else "__all__"
    assert errors.get(shown), errors


def test_a_training_without_target_group_says_so(world: World) -> None:
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    response = client.post(
        reverse("network:activity_create"), _activity_form(world, target_groups=None)
    )
    assert "Kies ten minste één doelgroep." in response.content.decode()


def test_an_organiser_of_another_region_is_refused(world: World) -> None:
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    response = client.post(
        reverse("network:activity_create"),
        _activity_form(world, organiser=world.organisation("B").pk),
    )
    assert response.status_code == 200 and not Activity.objects.exists()
    assert response.context["form"].errors.get("organiser")


def test_a_registration_without_name_or_with_a_foreign_organisation_is_refused(
    world: World,
) -> None:
    activity = activity_in(world)
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    url = reverse("network:participant_add", kwargs={"activity_id": activity.pk})
    response = client.post(
        url, {"name": "", "organisation": world.organisation("A").pk, "target_group": "police"}
    )
    assert response.context["form"].errors.get("name")
    response = client.post(
        url,
        {
            "name": "X Y",
            "organisation": world.organisation("A").pk,
            "target_group": "general_public",
        },
    )
    assert response.context["form"].errors.get("target_group")
    assert not Participant.objects.exists()


def test_attendance_above_capacity_is_recorded_and_flagged(world: World) -> None:
    activity = activity_in(world, capacity=2)
    people = [register(world, activity, name) for name in ("Een", "Twee", "Drie")]
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    url = reverse("network:attendance", kwargs={"activity_id": activity.pk})
    response = client.post(
        url, {"present": [str(p.pk) for p in people], "public_attendees": "0"}, follow=True
    )
    page = response.content.decode()
    assert "meer mensen aanwezig" in page.casefold()
    assert Participant.objects.filter(attended=True).count() == 3


def test_a_negative_public_count_is_refused_naming_the_field(world: World) -> None:
    activity = activity_in(world)
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    url = reverse("network:attendance", kwargs={"activity_id": activity.pk})
    response = client.post(url, {"public_attendees": "-4"})
    assert response.context["form"].errors.get("public_attendees")
    activity.refresh_from_db()
    assert activity.public_attendees == 0


def test_colleagues_see_the_agenda_but_no_names(world: World) -> None:
    activity = activity_in(world)
    register(world, activity, "Quirine Geheim")
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    agenda = client.get(reverse("network:agenda")).content.decode()
    assert activity.title in agenda
    page = client.get(reverse("network:activity", kwargs={"activity_id": activity.pk}))
    assert page.status_code == 200
    assert "Quirine Geheim" not in page.content.decode()
    for name in ("activity_edit", "participant_add", "attendance"):
        assert (
            client.get(reverse(f"network:{name}", kwargs={"activity_id": activity.pk})).status_code
            == 404
        )
    assert client.get(reverse("network:reach", kwargs={"code": "VR19"})).status_code == 404


def test_another_regions_ketenregisseur_gets_404(world: World) -> None:
    activity = activity_in(world)
    participant = register(world, activity, "Rob Regio")
    client = verified_client(world.user(Role.KETENREGISSEUR, "B"))
    kwargs = {"activity_id": activity.pk}
    assert activity.title not in client.get(reverse("network:agenda")).content.decode()
    assert client.get(reverse("network:activity", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("network:attendance", kwargs=kwargs)).status_code == 404
    assert (
        client.post(
            reverse("network:attendance", kwargs=kwargs), {"present": [participant.pk]}
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("network:certificate", kwargs={**kwargs, "participant_id": participant.pk})
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse(
                "network:participant_remove", kwargs={**kwargs, "participant_id": participant.pk}
            )
        ).status_code
        == 404
    )
    assert client.get(reverse("network:reach", kwargs={"code": "VR19"})).status_code == 404
    participant.refresh_from_db()
    assert participant.attended is None


def test_a_partner_sees_the_agenda_but_keeps_nothing(world: World) -> None:
    activity = activity_in(world)
    client = verified_client(world.user(Role.KETENPARTNER, "A"))
    assert (
        client.get(reverse("network:activity", kwargs={"activity_id": activity.pk})).status_code
        == 200
    )
    assert client.get(reverse("network:activity_create")).status_code == 404
    assert client.get(reverse("network:reach_index")).status_code == 404


def test_an_account_with_roles_in_two_regions_sees_both_agendas_keeps_neither(
    world: World,
) -> None:
    here, there = activity_in(world, title="Sessie A"), activity_in(world, "B", title="Sessie B")
    client = verified_client(world.two_regions)
    agenda = client.get(reverse("network:agenda")).content.decode()
    assert "Sessie A" in agenda and "Sessie B" in agenda
    assert (
        client.get(reverse("network:attendance", kwargs={"activity_id": here.pk})).status_code
        == 404
    )
    assert (
        client.get(reverse("network:attendance", kwargs={"activity_id": there.pk})).status_code
        == 404
    )


def test_a_ketenregisseur_of_one_region_cannot_reach_into_the_other_with_two_roles(
    world: World,
) -> None:
    from inbeeld.testing.factories import MembershipFactory

    keeper = world.user(Role.KETENREGISSEUR, "A")
    MembershipFactory(user=keeper, organisation=world.organisation("B"), role=Role.KETENPARTNER)
    there = activity_in(world, "B")
    client = verified_client(keeper)
    assert (
        client.get(reverse("network:activity", kwargs={"activity_id": there.pk})).status_code == 200
    )
    assert (
        client.get(reverse("network:attendance", kwargs={"activity_id": there.pk})).status_code
        == 404
    )
    assert client.get(reverse("network:reach", kwargs={"code": "VR04"})).status_code == 404
    assert client.get(reverse("network:reach", kwargs={"code": "VR19"})).status_code == 200


@pytest.mark.parametrize("name", ["agenda", "activity_create", "reach_index"])
def test_anonymous_visitors_are_sent_to_the_login_on_partner_pages(world: World, name: str) -> None:
    response = Client().get(reverse(f"network:{name}"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_anonymous_visitors_get_no_activity_page(world: World) -> None:
    activity = activity_in(world)
    response = Client().get(reverse("network:activity", kwargs={"activity_id": activity.pk}))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def _canaries(world: World) -> tuple[Activity, Activity]:
    public = activity_in(
        world, title="Open avond mensenhandel", public=True, groups=(TargetGroup.GENERAL_PUBLIC,)
    )
    hidden = activity_in(world, title="Besloten werkgroep KANARIE-ACT")
    for activity in (public, hidden):
        attend(world, activity, register(world, activity, "Kanarie Deelnemer"))
    contact_args = {
        "organisation": world.organisation("A"),
        "role": ContactRole.AANDACHTSFUNCTIONARIS,
        "active_from": timezone.localdate() - timedelta(days=30),
    }
    hidden_contact = ContactPerson.objects.create(
        name="Kanarie Contact", email="kanarie@example.org", phone="0612345678", **contact_args
    )
    listed = ContactPerson.objects.create(
        name="Openbare Olga", listed_publicly=True, **contact_args
    )
    hidden_contact.municipalities.set([municipality_of("A")])
    listed.municipalities.set([municipality_of("A")])
    return public, hidden


@pytest.mark.parametrize(
    "url",
    ["/agenda/", "/agenda/?regio=VR19", "/agenda/VR19.ics", "/kennis/", "/kennis/signaalkaarten/"],
)
def test_public_pages_show_no_personal_data_of_people_who_did_not_agree(
    world: World, url: str
) -> None:
    _canaries(world)
    response = Client().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for canary in (
        "Kanarie",
        "kanarie@example.org",
        "0612345678",
        "KANARIE-ACT",
        "Beleidsmedewerker",
    ):
        assert canary not in body, canary
    if url.startswith("/agenda/"):
        assert "Open avond mensenhandel" in body
    if url == "/kennis/":
        assert "Openbare Olga" in body


def test_the_calendar_feed_is_valid_icalendar_with_the_regions_public_activities(
    world: World,
) -> None:
    from icalendar import Calendar

    activity_in(world, title="Voorlichting Zeeland", public=True)
    activity_in(world, "B", title="Voorlichting IJsselland", public=True)
    response = Client().get("/agenda/VR19.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries == ["Voorlichting Zeeland"]
    assert Client().get("/agenda/XX99.ics").status_code == 404


def test_the_knowledge_page_lists_the_reporting_routes_and_signal_cards(world: World) -> None:
    page = Client().get("/kennis/").content.decode()
    for number in ("112", "0900-8844", "0800-7000", "0800-5151"):
        assert number in page
    assert "Seksuele uitbuiting" in page and "Arbeidsuitbuiting" in page
