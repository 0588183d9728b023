"""Every role × every page: who gets the page, and who gets 404 (never 403, never the data).

The matrix is checked against the URL configuration: a new page without a row here fails
``test_every_page_has_a_rule``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import resolve, reverse
from rules.permissions import perm_exists

from inbeeld.accounts.decorators import required_permission
from inbeeld.accounts.models import Membership, Role, User
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share, ShareKind
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import Signal
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.signals.tests.test_intake import attachment_on
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user
from inbeeld.testing.urls import all_url_names
from inbeeld.testing.world import ALL_ROLES, Letter, World

# Marked so that the suite's fast password hashing applies (conftest.py): these tests make
# many accounts and are not about hashing.
pytestmark = pytest.mark.django_db

ZEELAND, IJSSELLAND = World.region_code("A"), World.region_code("B")


def signal_in(municipality_code: str, user: User) -> Signal:
    municipality = Municipality.objects.get(code=municipality_code)
    organisation = user.memberships.get().organisation
    signal, _new = signal_create_partner(
        data=SignalInput(municipality=municipality, description="Testsignaal."),
        by=user,
        organisation=organisation,
    )
    return signal


def assignment_of(signal: Signal, world: World) -> Share:
    """An assignment of the signal to the user of its own region, as a share on record."""
    user = world.reporter("A") if signal.pk == world.signal("A").pk else world.reporter("B")
    signal.assigned_to.add(user)
    return Share.objects.create(
        content_type=ContentType.objects.get_for_model(signal),
        object_id=signal.pk,
        region=signal.region,
        kind=ShareKind.ASSIGNMENT,
        legal_basis=LegalBasis.COVENANT,
        purpose="begeleiding",
        to_user=user,
        shared_by=user,
    )


def consent_on(signal: Signal, user: User) -> Any:
    """A consent on ``signal``, written directly: the service is tested in its own module."""
    from datetime import date

    from inbeeld.privacy.models import Consent

    return Consent.objects.create(
        target=signal,
        scope="police",
        given_on=date(2026, 1, 5),
        how="Mondeling",
        recorded_by=user,
    )


def merge_into(signal: Signal) -> Any:
    """A new signal merged into ``signal``, written directly: merging is tested on its own."""
    from inbeeld.signals.models import SignalMerge

    user, municipality = signal.created_by, signal.municipality
    if user is None or municipality is None:
        raise ValueError("signal_in() signals name their author and municipality")
    merged = signal_in(municipality.code, user)
    merged.merged_into = signal
    merged.save(update_fields=["merged_into"])
    return SignalMerge.objects.create(kept=signal, merged=merged, merged_by=user)


def received_request_in(world: World, letter: Letter) -> int:
    """A request received by region ``letter``'s FG, written directly: tested in privacy/tests."""
    from inbeeld.privacy.models import ReceivedRequest

    received = ReceivedRequest.objects.create(
        region=Region.objects.get(code=world.region_code(letter)),
        kind="access",
        received_on=date(2026, 11, 2),
        due_on=date(2026, 12, 2),
        registered_by=world.user(Role.FG, letter),
    )
    return received.pk


def access_request_on(signal: Signal) -> int:
    """An FG's access request for ``signal``, written directly: tested in privacy/tests."""
    from inbeeld.privacy.models import DataSubjectRequest

    request = DataSubjectRequest.objects.create(
        kind="access",
        reason="verzoek",
        records=[f"signals.signal:{signal.pk}"],
        handled_by=User.objects.get(pk=signal.created_by_id or 0),
    )
    return request.pk


def task_on(signal: Signal, owner: User) -> Any:
    from django.utils import timezone

    from inbeeld.tasks.services import task_create

    return task_create(
        subject=signal,
        source="signal.follow_up",
        title="Nabellen",
        due=timezone.localdate(),
        owner=owner,
    )


def token_of(user: User) -> str:
    """The key of a new API token of ``user``, as the beheerder's page names it."""
    from inbeeld.accounts.tokens import api_token_issue

    return api_token_issue(user=user).key


def org_token_id(world: World, letter: Letter) -> int:
    """A token of the partner of region ``letter``: tested in integrations/tests."""
    from inbeeld.integrations.tests.helpers import org_token

    return org_token(world, letter).record.pk


def webhook_id(world: World, letter: Letter) -> int:
    """A webhook of the partner of region ``letter``: tested in integrations/tests."""
    from inbeeld.integrations.tests.helpers import webhook

    return webhook(world, letter)[1].pk


def contact_in(organisation: Any) -> Any:
    """A contact person of ``organisation``, written directly: tested in test_directory.py."""
    from datetime import date

    from inbeeld.accounts.models import ContactPerson

    return ContactPerson.objects.create(
        organisation=organisation, name="Contact", role="contact", active_from=date(2025, 1, 1)
    )


def covenant_with_document(organisation: Any) -> Any:
    """The region's covenant, signed by ``organisation``, with a PDF (test_covenant.py)."""
    from inbeeld.testing.factories import covenant_signed_by

    covenant = covenant_signed_by(organisation)
    covenant.document, covenant.document_name = b"%PDF-1.4 test", "convenant.pdf"
    covenant.document_size = len(covenant.document)
    covenant.save()
    return covenant


def signature_of(organisation: Any) -> Any:
    return covenant_with_document(organisation).signatures.get(organisation=organisation)


def case_of(world: World, letter: str) -> Any:
    """A case of region ``letter``, opened by its zorgcoördinator from the world's signal and
    owned by the organisation of that region's personas (cases/tests/helpers.py)."""
    from inbeeld.cases.tests.helpers import world_case

    return world_case(world, letter)


def case_invite_on(world: World, letter: str) -> tuple[int, int]:
    """(case id, share id) of an organisation invited to a new case of region ``letter``."""
    from inbeeld.cases.services import case_invite

    case = case_of(world, letter)
    share = case_invite(
        by=world.user(Role.ZORGCOORDINATOR, letter),
        case=case,
        organisation=world.partner(letter),
        legal_basis=LegalBasis.PUBLIC_TASK,
        purpose="Begeleiding",
    )
    return case.pk, share.pk


def referral_to_staff(world: World, letter: str) -> Any:
    """A referral of a new case of region ``letter`` to the organisation its personas work
    for: its people with a signal-handling role receive it (referrals/rules.py)."""
    from inbeeld.referrals.tests.helpers import world_referral

    return world_referral(world, letter, to=world.organisation(letter))


def transfer_offered_to(world: World, letter: str) -> Any:
    """A transfer of a case of the other region, proposed to region ``letter``."""
    from inbeeld.cases.services import case_transfer_propose

    other = "B" if letter == "A" else "A"
    return case_transfer_propose(
        by=world.user(Role.ZORGCOORDINATOR, other),
        case=case_of(world, other),
        to_region=region(World.region_code(letter)),
        message="Verhuisd.",
    )


def network_participant_of(world: World, letter: str) -> Any:
    """An attended participant of a training (with certificate) in region ``letter``."""
    from inbeeld.network.tests.helpers import world_participant

    return world_participant(world, letter)


def _activity_kwargs(letter: str) -> Any:
    return lambda w: {"activity_id": network_participant_of(w, letter).activity_id}


def _participant_kwargs(letter: str) -> Any:
    def kwargs(w: World) -> dict[str, int]:
        participant = network_participant_of(w, letter)
        return {"activity_id": participant.activity_id, "participant_id": participant.pk}

    return kwargs


def _newsletter_kwargs(letter: str) -> Any:
    def kwargs(w: World) -> dict[str, int]:
        from inbeeld.network.newsletter import issue_create

        issue = issue_create(
            by=w.user(Role.KETENREGISSEUR, letter),
            region=region(World.region_code(letter)),
            title="Nieuwsbrief",
            introduction="",
        )
        return {"issue_id": issue.pk}

    return kwargs


def shelter_place_of(world: World, letter: str) -> Any:
    """Places of a location of region ``letter``'s staff organisation, made a shelter."""
    from inbeeld.shelter.tests.helpers import world_place

    return world_place(world, letter)


def placement_offer_of(world: World, letter: str) -> Any:
    """An offer to region ``letter``'s staff organisation's (shelter) location, from a request
    of that region's case (placements/tests/helpers.py)."""
    from inbeeld.placements.tests.helpers import ask

    place = shelter_place_of(world, letter)
    existing = place.location.placement_offers.first()
    if existing is not None:
        return existing
    return ask(world, letter, case=case_of(world, letter)).offers.get(location=place.location)


def placement_of(world: World, letter: str) -> Any:
    """A placement at region ``letter``'s shelter location, after its staff accepted."""
    from django.utils import timezone

    from inbeeld.placements import services
    from inbeeld.placements.models import Placement

    offer = placement_offer_of(world, letter)
    existing = Placement.objects.filter(location=offer.location).first()
    if existing is not None:
        return existing
    staff = world.user(Role.KETENPARTNER, letter)
    services.offer_accept(by=staff, offer=offer)
    offer.request.refresh_from_db()
    return services.placement_intake(
        by=staff,
        data=services.IntakeInput(
            case=offer.request.case,
            location=offer.location,
            kind=offer.request.kind,
            intake=timezone.localdate(),
            request=offer.request,
        ),
    )


def region_ask_to(world: World, letter: str) -> Any:
    """A request of the other region's case asked of region ``letter`` (crisis places: none
    in the world, so the asking region is full)."""
    from inbeeld.placements import services
    from inbeeld.placements.tests.helpers import ask
    from inbeeld.regions.models import Region

    other = "B" if letter == "A" else "A"
    made = ask(world, other, case=case_of(world, other), kind="crisis")
    return services.region_ask(
        by=world.user(Role.ZORGCOORDINATOR, other),
        request=made,
        region=Region.objects.get(code=world.region_code(letter)),  # type: ignore[arg-type]
    )


def placement_request_of(world: World, letter: str) -> dict[str, int]:
    from inbeeld.placements.tests.helpers import ask

    made = ask(world, letter, case=case_of(world, letter), kind="crisis")
    return {"case_id": made.case_id, "request_id": made.pk}


PLACEMENT_OFFER_PAGES: dict[str, str] = {
    "placements:offer_detail": "get",
    "placements:offer_accept": "post",
    "placements:offer_refuse": "post",
}
PLACEMENT_PAGES: dict[str, str] = {
    "placements:placement_detail": "get",
    "placements:placement_outflow": "post",
    "placements:placement_transfer": "post",
}


# The receiving organisation's people who handle signals (referrals/rules.py).
REFERRAL_RECEIVERS: set[str] = {Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS}
REFERRAL_PAGES: dict[str, str] = {
    "referrals:detail": "get",
    "referrals:accept": "post",
    "referrals:reject": "post",
    "referrals:complete": "post",
    "referrals:phase": "post",
}
TRANSFER_PAGES: dict[str, str] = {
    "cases:transfer": "get",
    "cases:transfer_accept": "post",
    "cases:transfer_reject": "post",
}

# The people of the case's owner organisation who handle signals see it; the region's
# zorgcoördinator alone changes it (cases/rules.py).
CASE_VIEWERS: set[str] = {Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS}
CASE_PAGES: dict[str, tuple[str, set[str]]] = {
    "cases:detail": ("get", CASE_VIEWERS),
    "cases:edit": ("get", {Role.ZORGCOORDINATOR}),
    "cases:note_add": ("post", {Role.ZORGCOORDINATOR}),
    "cases:event_add": ("post", {Role.ZORGCOORDINATOR}),
    "cases:invite": ("post", {Role.ZORGCOORDINATOR}),
    "cases:close": ("post", {Role.ZORGCOORDINATOR}),
    "cases:reopen": ("post", {Role.ZORGCOORDINATOR}),
    "cases:transfer_propose": ("post", {Role.ZORGCOORDINATOR}),
    "referrals:create": ("get", {Role.ZORGCOORDINATOR}),
    "referrals:service_create": ("get", {Role.ZORGCOORDINATOR}),
    # The residence track is the case's: its editors record states (residence/access.py).
    "residence:record": ("get", {Role.ZORGCOORDINATOR}),
    # The CoMensha registration is the case coordinator's alone (registration/rules.py).
    "registration:edit": ("get", {Role.ZORGCOORDINATOR}),
}


def registration_of(world: World, letter: str) -> dict[str, int]:
    """A complete draft registration of a new case of region ``letter``."""
    from inbeeld.registration.tests.helpers import draft

    return {"registration_id": draft(world, case_of(world, letter), letter).pk}


# A registration's page and actions: the case's coordinator only; a partner who sees the
# case does not see its registration (registration/access.py).
REGISTRATION_PAGES: dict[str, str] = {
    "registration:detail": "get",
    "registration:download": "post",
    "registration:send": "post",
    "registration:acknowledge": "post",
}


# The care plan is part of its case (careplans/rules.py): who sees the case reads the plan,
# its history and its print view; the region's zorgcoördinator alone writes it.
CAREPLAN_PAGES: dict[str, tuple[str, set[str]]] = {
    "careplans:detail": ("get", CASE_VIEWERS),
    "careplans:history": ("get", CASE_VIEWERS),
    "careplans:print": ("get", CASE_VIEWERS),
    "careplans:action_add": ("get", {Role.ZORGCOORDINATOR}),
}


def careplan_action_of(world: World, letter: str) -> dict[str, int]:
    """(case, action) of a new case of region ``letter`` whose plan has one action."""
    from inbeeld.careplans.services import ActionInput, action_add

    case = case_of(world, letter)
    action = action_add(
        by=world.user(Role.ZORGCOORDINATOR, letter),
        case=case,
        version=1,
        data=ActionInput(
            domain="safety", description="Opvang.", owner_organisation=case.owner_organisation
        ),
    )
    return {"case_id": case.pk, "action_id": action.pk}


def meeting_of(world: World, letter: str) -> dict[str, int]:
    from inbeeld.casetable.tests.helpers import world_meeting

    return {"meeting_id": world_meeting(world, letter).pk}


def meeting_item_of(world: World, letter: str) -> dict[str, int]:
    from inbeeld.casetable.tests.helpers import world_item

    return dict(zip(("meeting_id", "item_id"), world_item(world, letter), strict=True))


# A case table meeting of the region to which the personas' organisation is invited: its
# chain partners see it (pseudonymised); the region's zorgcoördinator chairs and runs it.
MEETING_PAGES: dict[str, tuple[str, set[str]]] = {
    "casetable:meeting": ("get", CASE_VIEWERS),
    "casetable:minutes": ("get", CASE_VIEWERS),
    "casetable:invite": ("post", {Role.ZORGCOORDINATOR}),
    "casetable:attendance": ("post", {Role.ZORGCOORDINATOR}),
    "casetable:guest_add": ("post", {Role.ZORGCOORDINATOR}),
    "casetable:agenda_build": ("post", {Role.ZORGCOORDINATOR}),
    "casetable:case_add": ("post", {Role.ZORGCOORDINATOR}),
    "casetable:minutes_send": ("post", {Role.ZORGCOORDINATOR}),
}
ITEM_PAGES = ("casetable:item_notes", "casetable:item_decision", "casetable:item_action")


# url name → (method, kwargs builder, roles that may use it in their own region).
# Pages that take an object are also requested with region B's object: always 404.
Kwargs = dict[str, Any]
# Pages without an object: url name → (method, URL arguments). Who may open each is the
# permission its view declares (permission_required, from the app's rules.py); the test
# asks that rule for every role, and docs/authorization-matrix.md shows the outcome, kept
# equal to the rules by test_the_documented_matrix_is_the_rules.
PAGES: dict[str, tuple[str, Any]] = {
    "web:home": ("get", lambda w: {}),
    "web:regions": ("get", lambda w: {}),
    "accounts:account": ("get", lambda w: {}),
    "accounts:recovery_codes": ("get", lambda w: {}),
    "accounts:recovery_codes_renew": ("post", lambda w: {}),
    "accounts:organisations": ("get", lambda w: {}),
    "accounts:organisation_create": ("get", lambda w: {}),
    "accounts:users": ("get", lambda w: {}),
    "accounts:user_create": ("get", lambda w: {}),
    "insight:overview": ("get", lambda w: {}),
    "insight:upload": ("get", lambda w: {}),
    "insight:run_create": ("get", lambda w: {}),
    "insight:dashboard": ("get", lambda w: {}),
    "insight:operations": ("get", lambda w: {}),
    "insight:dashboard_csv": ("get", lambda w: {"source": "signals", "dimension": "gender"}),
    # The council report: the page with its form (the PDF itself: test_council_report.py).
    "insight:council_report": ("get", lambda w: {}),
    "audit:search": ("get", lambda w: {}),
    "audit:export": ("get", lambda w: {}),
    "privacy:retention": ("get", lambda w: {}),
    "privacy:subject_search": ("get", lambda w: {}),
    "privacy:received_list": ("get", lambda w: {}),
    "signals:queue": ("get", lambda w: {}),
    "signals:queue_export": ("get", lambda w: {}),
    "signals:search": ("get", lambda w: {}),
    "signals:tips_received": ("get", lambda w: {}),
    "casetable:index": ("get", lambda w: {}),
    "casetable:plan": ("get", lambda w: {}),
    # The table's figures of the user's own regions (casetable/statistics.py): the
    # ketenregisseur and the zorgcoördinator; test_statistics.py shows that each region's
    # ketenregisseur sees only that region's figures.
    "casetable:statistics": ("get", lambda w: {}),
    "signals:create": ("get", lambda w: {}),
    "accounts:directory": ("get", lambda w: {}),
    "accounts:contact_create": ("get", lambda w: {}),
    "cases:list": ("get", lambda w: {}),
    "tasks:mine": ("get", lambda w: {}),
    "referrals:incoming": ("get", lambda w: {}),
    "cases:transfers": ("get", lambda w: {}),
    "shelter:overview": ("get", lambda w: {}),
    "shelter:mine": ("get", lambda w: {}),
    "shelter:locations": ("get", lambda w: {}),
    "shelter:location_create": ("get", lambda w: {}),
    "placements:offers": ("get", lambda w: {}),
    "placements:placements": ("get", lambda w: {}),
    "placements:intake": ("get", lambda w: {}),
    "placements:waiting": ("get", lambda w: {}),
    "placements:flow": ("get", lambda w: {}),
    "network:agenda": ("get", lambda w: {}),
    "network:activity_create": ("get", lambda w: {}),
    "network:reach_index": ("get", lambda w: {}),
    "imports:index": ("get", lambda w: {}),
    "imports:signals": ("get", lambda w: {}),
    "imports:signals_template": ("get", lambda w: {}),
    "imports:registrations": ("get", lambda w: {}),
    "imports:registrations_template": ("get", lambda w: {}),
    "network:newsletter": ("get", lambda w: {}),
    "network:newsletter_create": ("get", lambda w: {}),
}
# The regional network: every colleague of the region sees it; its keepers change it.
NETWORK_KEEPERS: set[str] = {Role.KETENREGISSEUR, Role.BEHEERDER}
REGIONAL_PAGES: dict[str, tuple[str, Any, Any, set[str]]] = {
    # A region's registrations of a year (`inbeeld export comensha` on the web): the
    # coordinators of that region only (registration/views.py: export).
    "registration:export": (
        "get",
        lambda w: {"region_code": w.region_code("A"), "year": date.today().year},  # noqa: DTZ011
        lambda w: {"region_code": w.region_code("B"), "year": date.today().year},  # noqa: DTZ011
        {Role.ZORGCOORDINATOR},
    ),
    # A task of the signal, owned by the reporter: seen (and marked done) by who sees the
    # signal (tasks/rules.py); in region A that is only the zorgcoördinator.
    "tasks:status": (
        "post",
        lambda w: {"task_id": task_on(w.signal("A"), w.reporter("A")).pk},
        lambda w: {"task_id": task_on(w.signal("B"), w.reporter("B")).pk},
        {Role.ZORGCOORDINATOR},
    ),
    # Adding a task to a signal: the region's zorgcoördinator (signals/task_subjects.py).
    "tasks:add": (
        "get",
        lambda w: {"kind": "signals.signal", "subject_id": w.signal("A").pk},
        lambda w: {"kind": "signals.signal", "subject_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    # Data-subject requests: the FG of the record's region only, restricted records included.
    # One page for every kind registered with privacy/; signals are the kind there is now.
    "privacy:subject_record": (
        "get",
        lambda w: {"kind": "signalen", "record_id": w.signal("A").pk},
        lambda w: {"kind": "signalen", "record_id": w.signal("B").pk},
        {Role.FG},
    ),
    "privacy:received_detail": (
        "get",
        lambda w: {"pk": received_request_in(w, "A")},
        lambda w: {"pk": received_request_in(w, "B")},
        {Role.FG},
    ),
    "privacy:subject_export": (
        "get",
        lambda w: {"request_id": access_request_on(w.signal("A"))},
        lambda w: {"request_id": access_request_on(w.signal("B"))},
        {Role.FG},
    ),
    "privacy:subject_export_json": (
        "get",
        lambda w: {"request_id": access_request_on(w.signal("A"))},
        lambda w: {"request_id": access_request_on(w.signal("B"))},
        {Role.FG},
    ),
    "web:region_detail": (
        "get",
        lambda w: {"code": ZEELAND},
        lambda w: {"code": IJSSELLAND},
        set(ALL_ROLES),
    ),
    "accounts:region_edit": (
        "get",
        lambda w: {"code": ZEELAND},
        lambda w: {"code": IJSSELLAND},
        {Role.BEHEERDER},
    ),
    "accounts:organisation_edit": (
        "get",
        lambda w: {"organisation_id": w.partner("A").pk},
        lambda w: {"organisation_id": w.partner("B").pk},
        {Role.BEHEERDER},
    ),
    "accounts:user_edit": (
        "get",
        lambda w: {"user_id": w.reporter("A").pk},
        lambda w: {"user_id": w.reporter("B").pk},
        {Role.BEHEERDER},
    ),
    "accounts:user_membership_add": (
        "post",
        lambda w: {"user_id": w.reporter("A").pk},
        lambda w: {"user_id": w.reporter("B").pk},
        {Role.BEHEERDER},
    ),
    "accounts:user_membership_remove": (
        "post",
        lambda w: {"user_id": w.reporter("A").pk, "membership_id": w.membership("A").pk},
        lambda w: {"user_id": w.reporter("B").pk, "membership_id": w.membership("B").pk},
        {Role.BEHEERDER},
    ),
    # Neither the persona's organisation reported it nor is the persona assigned: only the
    # region's zorgcoördinator may open it.
    "signals:detail": (
        "get",
        lambda w: {"signal_id": w.signal("A").pk},
        lambda w: {"signal_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    # Like the signal itself: region A's persona did not report it, so only the coordinator.
    "signals:attachment": (
        "get",
        lambda w: {"signal_id": w.signal("A").pk, "attachment_id": attachment_on(w.signal("A")).pk},
        lambda w: {"signal_id": w.signal("B").pk, "attachment_id": attachment_on(w.signal("B")).pk},
        {Role.ZORGCOORDINATOR},
    ),
    # Recording consent and its withdrawal is triage: the region's zorgcoördinator only.
    "signals:consent_add": (
        "post",
        lambda w: {"signal_id": w.signal("A").pk},
        lambda w: {"signal_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    "signals:consent_withdraw": (
        "post",
        lambda w: {
            "signal_id": w.signal("A").pk,
            "consent_id": consent_on(w.signal("A"), w.reporter("A")).pk,
        },
        lambda w: {
            "signal_id": w.signal("B").pk,
            "consent_id": consent_on(w.signal("B"), w.reporter("B")).pk,
        },
        {Role.ZORGCOORDINATOR},
    ),
    "signals:note_add": (
        "post",
        lambda w: {"signal_id": w.signal("A").pk},
        lambda w: {"signal_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    "signals:assign": (
        "post",
        lambda w: {"signal_id": w.signal("A").pk},
        lambda w: {"signal_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    "signals:unassign": (
        "post",
        lambda w: {"signal_id": w.signal("A").pk, "share_id": assignment_of(w.signal("A"), w).pk},
        lambda w: {"signal_id": w.signal("B").pk, "share_id": assignment_of(w.signal("B"), w).pk},
        {Role.ZORGCOORDINATOR},
    ),
    "signals:tip": (
        "get",
        lambda w: {"signal_id": w.signal("A").pk},
        lambda w: {"signal_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    # Merging and undoing a merge is triage: the region's zorgcoördinator only.
    "signals:merge": (
        "post",
        lambda w: {"signal_id": w.signal("A").pk},
        lambda w: {"signal_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    "signals:merge_undo": (
        "post",
        lambda w: {"signal_id": w.signal("A").pk, "merge_id": merge_into(w.signal("A")).pk},
        lambda w: {"signal_id": w.signal("B").pk, "merge_id": merge_into(w.signal("B")).pk},
        {Role.ZORGCOORDINATOR},
    ),
    "insight:run_detail": (
        "get",
        lambda w: {"run_id": w.run("A").pk},
        lambda w: {"run_id": w.run("B").pk},
        {Role.ZORGCOORDINATOR, Role.ONDERZOEKER},
    ),
    "insight:run_state": (
        "get",
        lambda w: {"run_id": w.run("A").pk},
        lambda w: {"run_id": w.run("B").pk},
        {Role.ZORGCOORDINATOR, Role.ONDERZOEKER},
    ),
    "accounts:network_organisation": (
        "get",
        lambda w: {"organisation_id": w.partner("A").pk},
        lambda w: {"organisation_id": w.partner("B").pk},
        set(ALL_ROLES),
    ),
    "accounts:network_organisation_add": (
        "get",
        lambda w: {"code": ZEELAND},
        lambda w: {"code": IJSSELLAND},
        NETWORK_KEEPERS,
    ),
    "accounts:contact_edit": (
        "get",
        lambda w: {"contact_id": contact_in(w.partner("A")).pk},
        lambda w: {"contact_id": contact_in(w.partner("B")).pk},
        NETWORK_KEEPERS,
    ),
    "accounts:contact_delete": (
        "post",
        lambda w: {"contact_id": contact_in(w.partner("A")).pk},
        lambda w: {"contact_id": contact_in(w.partner("B")).pk},
        NETWORK_KEEPERS,
    ),
    "accounts:coverage": (
        "get",
        lambda w: {"code": ZEELAND},
        lambda w: {"code": IJSSELLAND},
        set(ALL_ROLES),
    ),
    "accounts:covenant": (
        "get",
        lambda w: {"code": ZEELAND},
        lambda w: {"code": IJSSELLAND},
        set(ALL_ROLES),
    ),
    "accounts:covenant_create": (
        "get",
        lambda w: {"code": ZEELAND},
        lambda w: {"code": IJSSELLAND},
        NETWORK_KEEPERS,
    ),
    "accounts:covenant_document": (
        "get",
        lambda w: {"covenant_id": covenant_with_document(w.partner("A")).pk},
        lambda w: {"covenant_id": covenant_with_document(w.partner("B")).pk},
        set(ALL_ROLES),
    ),
    "accounts:covenant_sign": (
        "get",
        lambda w: {"covenant_id": covenant_with_document(w.partner("A")).pk},
        lambda w: {"covenant_id": covenant_with_document(w.partner("B")).pk},
        NETWORK_KEEPERS,
    ),
    "accounts:signature_withdraw": (
        "get",
        lambda w: {"signature_id": signature_of(w.partner("A")).pk},
        lambda w: {"signature_id": signature_of(w.partner("B")).pk},
        NETWORK_KEEPERS,
    ),
    "accounts:user_token_revoke": (
        "post",
        lambda w: {"user_id": w.reporter("A").pk, "token_key": token_of(w.reporter("A"))},
        lambda w: {"user_id": w.reporter("B").pk, "token_key": token_of(w.reporter("B"))},
        {Role.BEHEERDER},
    ),
    # An organisation's API tokens and webhooks (integrations/): the beheerder of its region.
    **{
        name: (
            method,
            lambda w: {"organisation_id": w.partner("A").pk},
            lambda w: {"organisation_id": w.partner("B").pk},
            {Role.BEHEERDER},
        )
        for name, method in (
            ("integrations:organisation", "get"),
            ("integrations:token_create", "post"),
            ("integrations:webhook_create", "post"),
        )
    },
    "integrations:token_revoke": (
        "post",
        lambda w: {"organisation_id": w.partner("A").pk, "token_id": org_token_id(w, "A")},
        lambda w: {"organisation_id": w.partner("B").pk, "token_id": org_token_id(w, "B")},
        {Role.BEHEERDER},
    ),
    "integrations:webhook_remove": (
        "post",
        lambda w: {"organisation_id": w.partner("A").pk, "endpoint_id": webhook_id(w, "A")},
        lambda w: {"organisation_id": w.partner("B").pk, "endpoint_id": webhook_id(w, "B")},
        {Role.BEHEERDER},
    ),
    "accounts:user_action": (
        "post",
        lambda w: {"user_id": w.reporter("A").pk, "action": "unlock"},
        lambda w: {"user_id": w.reporter("B").pk, "action": "unlock"},
        {Role.BEHEERDER},
    ),
    **{
        name: (
            method,
            lambda w: {"case_id": case_of(w, "A").pk},
            lambda w: {"case_id": case_of(w, "B").pk},
            allowed,
        )
        for name, (method, allowed) in CASE_PAGES.items()
    },
    **{
        name: (
            method,
            lambda w: {"case_id": case_of(w, "A").pk},
            lambda w: {"case_id": case_of(w, "B").pk},
            allowed,
        )
        for name, (method, allowed) in CAREPLAN_PAGES.items()
    },
    **{
        name: (
            method,
            lambda w: registration_of(w, "A"),
            lambda w: registration_of(w, "B"),
            {Role.ZORGCOORDINATOR},
        )
        for name, method in REGISTRATION_PAGES.items()
    },
    "careplans:domain_edit": (
        "get",
        lambda w: {"case_id": case_of(w, "A").pk, "domain": "safety"},
        lambda w: {"case_id": case_of(w, "B").pk, "domain": "safety"},
        {Role.ZORGCOORDINATOR},
    ),
    "careplans:action_edit": (
        "get",
        lambda w: careplan_action_of(w, "A"),
        lambda w: careplan_action_of(w, "B"),
        {Role.ZORGCOORDINATOR},
    ),
    "careplans:action_status": (
        "post",
        lambda w: careplan_action_of(w, "A"),
        lambda w: careplan_action_of(w, "B"),
        {Role.ZORGCOORDINATOR},
    ),
    **{
        name: (
            method,
            lambda w: meeting_of(w, "A"),
            lambda w: meeting_of(w, "B"),
            allowed,
        )
        for name, (method, allowed) in MEETING_PAGES.items()
    },
    **{
        name: (
            "post",
            lambda w: meeting_item_of(w, "A"),
            lambda w: meeting_item_of(w, "B"),
            {Role.ZORGCOORDINATOR},
        )
        for name in ITEM_PAGES
    },
    "cases:invite_end": (
        "post",
        lambda w: dict(zip(("case_id", "share_id"), case_invite_on(w, "A"), strict=True)),
        lambda w: dict(zip(("case_id", "share_id"), case_invite_on(w, "B"), strict=True)),
        {Role.ZORGCOORDINATOR},
    ),
    "referrals:revoke": (
        "post",
        lambda w: {"case_id": (r := referral_to_staff(w, "A")).case_id, "referral_id": r.pk},
        lambda w: {"case_id": (r := referral_to_staff(w, "B")).case_id, "referral_id": r.pk},
        {Role.ZORGCOORDINATOR},
    ),
    **{
        name: (
            method,
            lambda w: {"referral_id": referral_to_staff(w, "A").pk},
            lambda w: {"referral_id": referral_to_staff(w, "B").pk},
            REFERRAL_RECEIVERS,
        )
        for name, method in REFERRAL_PAGES.items()
    },
    # The proposal, not the case: the coordinator of the region it is offered to.
    **{
        name: (
            method,
            lambda w: {"transfer_id": transfer_offered_to(w, "A").pk},
            lambda w: {"transfer_id": transfer_offered_to(w, "B").pk},
            {Role.ZORGCOORDINATOR},
        )
        for name, method in TRANSFER_PAGES.items()
    },
    # Linking a signal to a case is triage: the region's zorgcoördinator only.
    "cases:link_signal": (
        "get",
        lambda w: {"signal_id": w.signal("A").pk},
        lambda w: {"signal_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    # A shelter's places: its own chain partners keep the figures (region A's staff
    # organisation is made a shelter for it); the region's beheerder manages the locations.
    "shelter:place_update": (
        "get",
        lambda w: {"place_id": shelter_place_of(w, "A").pk},
        lambda w: {"place_id": shelter_place_of(w, "B").pk},
        {Role.KETENPARTNER},
    ),
    "shelter:location_edit": (
        "get",
        lambda w: {"location_id": shelter_place_of(w, "A").location_id},
        lambda w: {"location_id": shelter_place_of(w, "B").location_id},
        {Role.BEHEERDER},
    ),
    "shelter:place_add": (
        "get",
        lambda w: {"location_id": shelter_place_of(w, "A").location_id},
        lambda w: {"location_id": shelter_place_of(w, "B").location_id},
        {Role.BEHEERDER},
    ),
    # Placements: the shelter's own staff answer the offers to its locations and keep its
    # placements; the case's coordinator asks, withdraws and asks another region; the asked
    # region's coordinators consent.
    **{
        name: (
            method,
            lambda w: {"offer_id": placement_offer_of(w, "A").pk},
            lambda w: {"offer_id": placement_offer_of(w, "B").pk},
            {Role.KETENPARTNER},
        )
        for name, method in PLACEMENT_OFFER_PAGES.items()
    },
    **{
        name: (
            method,
            lambda w: {"placement_id": placement_of(w, "A").pk},
            lambda w: {"placement_id": placement_of(w, "B").pk},
            {Role.KETENPARTNER},
        )
        for name, method in PLACEMENT_PAGES.items()
    },
    "placements:request_create": (
        "get",
        lambda w: {"case_id": case_of(w, "A").pk},
        lambda w: {"case_id": case_of(w, "B").pk},
        {Role.ZORGCOORDINATOR},
    ),
    "placements:request_withdraw": (
        "post",
        lambda w: placement_request_of(w, "A"),
        lambda w: placement_request_of(w, "B"),
        {Role.ZORGCOORDINATOR},
    ),
    "placements:region_ask": (
        "get",
        lambda w: placement_request_of(w, "A"),
        lambda w: placement_request_of(w, "B"),
        {Role.ZORGCOORDINATOR},
    ),
    "placements:ask_answer": (
        "post",
        lambda w: {"ask_id": region_ask_to(w, "A").pk},
        lambda w: {"ask_id": region_ask_to(w, "B").pk},
        {Role.ZORGCOORDINATOR, Role.KETENREGISSEUR},
    ),
    # The network's activities: every colleague of the region sees one (without names); the
    # network's keepers register, take attendance, issue certificates (network/rules.py).
    "network:activity": ("get", _activity_kwargs("A"), _activity_kwargs("B"), set(ALL_ROLES)),
    "network:activity_edit": (
        "get",
        _activity_kwargs("A"),
        _activity_kwargs("B"),
        NETWORK_KEEPERS,
    ),
    "network:participant_add": (
        "get",
        _activity_kwargs("A"),
        _activity_kwargs("B"),
        NETWORK_KEEPERS,
    ),
    "network:attendance": ("get", _activity_kwargs("A"), _activity_kwargs("B"), NETWORK_KEEPERS),
    "network:participant_remove": (
        "post",
        _participant_kwargs("A"),
        _participant_kwargs("B"),
        NETWORK_KEEPERS,
    ),
    "network:certificate": (
        "get",
        _participant_kwargs("A"),
        _participant_kwargs("B"),
        NETWORK_KEEPERS,
    ),
    "network:reach": (
        "get",
        lambda w: {"code": ZEELAND},
        lambda w: {"code": IJSSELLAND},
        NETWORK_KEEPERS,
    ),
    # The newsletter: the network's keepers compose and send it (network/rules.py).
    "network:newsletter_issue": (
        "get",
        _newsletter_kwargs("A"),
        _newsletter_kwargs("B"),
        NETWORK_KEEPERS,
    ),
    "network:newsletter_send": (
        "post",
        _newsletter_kwargs("A"),
        _newsletter_kwargs("B"),
        NETWORK_KEEPERS,
    ),
    # Opening a case from a signal is triage: the region's zorgcoördinator only.
    "cases:open_from_signal": (
        "post",
        lambda w: {"signal_id": w.signal("A").pk},
        lambda w: {"signal_id": w.signal("B").pk},
        {Role.ZORGCOORDINATOR},
    ),
}
# Pages reachable without a verified session, tested in their own modules.
PUBLIC_OR_LOGIN_FLOW = {
    "healthz": "inbeeld/web/tests/test_healthz.py",
    "readyz": "inbeeld/web/tests/test_healthz.py",
    "metrics": "inbeeld/lib/tests/test_metrics.py",
    "favicon": "inbeeld/web/tests/test_api_docs_browser.py",
    "set_language": "inbeeld/web/tests/test_pages.py",
    "accounts:login": "inbeeld/accounts/tests/test_login_browser.py",
    "accounts:verify": "inbeeld/accounts/tests/test_login_flow.py",
    "accounts:enrol": "inbeeld/accounts/tests/test_login_flow.py",
    "accounts:logout": "inbeeld/accounts/tests/test_login_flow.py",
    "schema": "inbeeld/accounts/tests/test_api.py",
    "api-docs": "inbeeld/accounts/tests/test_api.py",
    "signals:meldpunt": "inbeeld/signals/tests/test_meldpunt.py",
    "signals:public_status": "inbeeld/signals/tests/test_meldpunt.py",
    "network:public_agenda": "inbeeld/network/tests/test_pages.py",
    "network:calendar_feed": "inbeeld/network/tests/test_pages.py",
    "network:knowledge": "inbeeld/network/tests/test_pages.py",
    "network:signal_cards": "inbeeld/network/tests/test_pages.py",
    "network:newsletter_subscribe": "inbeeld/network/tests/test_newsletter.py",
    "network:newsletter_confirm": "inbeeld/network/tests/test_newsletter.py",
    "network:newsletter_unsubscribe": "inbeeld/network/tests/test_newsletter.py",
    "network:newsletter_archive": "inbeeld/network/tests/test_newsletter.py",
    "network:newsletter_archive_issue": "inbeeld/network/tests/test_newsletter.py",
}


def test_every_page_has_a_rule() -> None:
    covered = set(PAGES) | set(REGIONAL_PAGES) | set(PUBLIC_OR_LOGIN_FLOW)
    # API endpoints (v1:…) have their own matrix: test_api_authorisation.API_ENDPOINTS.
    missing = {name for name in all_url_names() if not name.startswith("v1:")} - covered
    assert not missing, f"pages without an authorisation rule: {sorted(missing)}"


def request(client: Any, method: str, url: str) -> Any:
    return client.post(url) if method == "post" else client.get(url)


def expected_ok(method: str) -> set[int]:
    # An allowed POST without data either redirects or shows the form again with its errors.
    return {200} if method == "get" else {200, 302}


def declared_permission(url_name: str, kwargs: dict[str, Any]) -> str | None:
    return required_permission(resolve(reverse(url_name, kwargs=kwargs)).func)


def test_every_staff_page_declares_a_permission_from_the_rules(world: World) -> None:
    """No page decides by itself who may open it: each names a rule of an app's rules.py."""
    for url_name, (_method, kwargs) in PAGES.items():
        permission = declared_permission(url_name, kwargs(world))
        assert permission is not None, f"{url_name} declares no permission"
        assert perm_exists(permission), f"{url_name}: {permission} is in no rules.py"
    for url_name, (_method, own, _other, _allowed) in REGIONAL_PAGES.items():
        permission = declared_permission(url_name, own(world))
        assert permission is not None and perm_exists(permission), url_name


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_page_per_role(world: World, role: str, url_name: str) -> None:
    method, kwargs = PAGES[url_name]
    user = world.user(role)
    allowed = user.has_perm(declared_permission(url_name, kwargs(world)) or "")
    response = request(verified_client(user), method, reverse(url_name, kwargs=kwargs(world)))
    if allowed:
        assert response.status_code in expected_ok(method)
    else:
        assert response.status_code == 404


MATRIX_FILE = Path(__file__).resolve().parents[3] / "docs" / "authorization-matrix.md"


def matrix_markdown(world: World) -> str:
    """Role × page, as the rules decide it: the table in docs/authorization-matrix.md."""
    people = {role: world.user(role) for role in ALL_ROLES}
    lines = [
        "| page | permission | " + " | ".join(ALL_ROLES) + " |",
        "|---|---|" + "---|" * len(ALL_ROLES),
    ]
    for url_name, (_method, kwargs) in sorted(PAGES.items()):
        permission = declared_permission(url_name, kwargs(world)) or ""
        marks = ["yes" if people[role].has_perm(permission) else "—" for role in ALL_ROLES]
        lines.append(f"| `{url_name}` | `{permission}` | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"


def test_the_documented_matrix_is_the_rules(world: World) -> None:
    """docs/authorization-matrix.md is generated; rewrite it with INBEELD_WRITE_MATRIX=1."""
    table = matrix_markdown(world)
    text = MATRIX_FILE.read_text(encoding="utf-8")
    start, end = "<!-- matrix:start -->\n", "<!-- matrix:end -->"
    current = text.split(start, 1)[1].split(end, 1)[0]
    if os.environ.get("INBEELD_WRITE_MATRIX") == "1":
        MATRIX_FILE.write_text(text.replace(start + current, start + table), encoding="utf-8")
        return
    assert current == table, "the rules changed: run with INBEELD_WRITE_MATRIX=1 and review"


def test_the_menu_offers_a_page_by_the_pages_own_permission(world: World) -> None:
    from inbeeld.web.navigation import MENU

    for item in MENU:
        assert declared_permission(item.url_name, {}) == item.permission, item.url_name


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url_name", sorted(REGIONAL_PAGES))
def test_regional_page_per_role(world: World, role: str, url_name: str) -> None:
    method, own_kwargs, other_kwargs, allowed = REGIONAL_PAGES[url_name]
    client = verified_client(world.user(role))
    own = request(client, method, reverse(url_name, kwargs=own_kwargs(world)))
    other = request(client, method, reverse(url_name, kwargs=other_kwargs(world)))
    if role in allowed:
        assert own.status_code in expected_ok(method)
    else:
        assert own.status_code == 404
    assert other.status_code == 404, "region B's object must not be reachable from region A"


@pytest.mark.parametrize("url_name", sorted(PAGES) + sorted(REGIONAL_PAGES))
def test_anonymous_visitor_is_sent_to_login(world: World, url_name: str) -> None:
    if url_name in PAGES:
        method, kwargs = PAGES[url_name]
    else:
        method, kwargs, _, _ = REGIONAL_PAGES[url_name]
    response = request(Client(), method, reverse(url_name, kwargs=kwargs(world)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_region_b_beheerder_does_not_see_region_a_users_in_the_list(world: World) -> None:
    world.reporter("A")
    world.reporter("B")
    page = (
        verified_client(world.user(Role.BEHEERDER, "B"))
        .get(reverse("accounts:users"))
        .content.decode()
    )
    assert "melder.b" in page
    assert "melder.a" not in page


# Assigned (need-to-know by name). Every signal page in REGIONAL_PAGES needs a row here:
# url name → (roles that may use it when assigned to region A's signal, the same for region
# B's signal). Pages that show the signal open for an assigned person of a role that handles
# signals, in either region: an assignment is an explicit, recorded share that follows the
# person (signals/rules.py). Triage pages stay with the zorgcoördinator of the signal's
# region: being assigned to another region's signal does not make one its coordinator.
SIGNAL_HANDLERS: set[str] = {Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS}
TRIAGE_ONLY: tuple[set[str], set[str]] = ({Role.ZORGCOORDINATOR}, set())
ASSIGNED_PAGES: dict[str, tuple[set[str], set[str]]] = {
    "signals:detail": (SIGNAL_HANDLERS, SIGNAL_HANDLERS),
    "signals:attachment": (SIGNAL_HANDLERS, SIGNAL_HANDLERS),
    "signals:note_add": (SIGNAL_HANDLERS, SIGNAL_HANDLERS),
    "signals:assign": TRIAGE_ONLY,
    "signals:unassign": TRIAGE_ONLY,
    "signals:tip": TRIAGE_ONLY,
    "signals:merge": TRIAGE_ONLY,
    "signals:merge_undo": TRIAGE_ONLY,
    "signals:consent_add": TRIAGE_ONLY,
    "signals:consent_withdraw": TRIAGE_ONLY,
}


def test_every_signal_page_has_an_assigned_rule() -> None:
    signal_pages = {name for name in REGIONAL_PAGES if name.startswith("signals:")}
    missing = signal_pages - set(ASSIGNED_PAGES)
    assert not missing, f"signal pages without a rule for assigned people: {sorted(missing)}"


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url_name", sorted(ASSIGNED_PAGES))
def test_signal_page_when_assigned(world: World, role: str, url_name: str) -> None:
    method, own_kwargs, other_kwargs, _ = REGIONAL_PAGES[url_name]
    own_allowed, other_allowed = ASSIGNED_PAGES[url_name]
    user = world.user(role)
    world.signal("A").assigned_to.add(user)
    world.signal("B").assigned_to.add(user)
    client = verified_client(user)
    own = request(client, method, reverse(url_name, kwargs=own_kwargs(world)))
    other = request(client, method, reverse(url_name, kwargs=other_kwargs(world)))
    assert (own.status_code in expected_ok(method)) == (role in own_allowed)
    assert (other.status_code in expected_ok(method)) == (role in other_allowed)
    assert {own.status_code, other.status_code} <= expected_ok(method) | {404}


def test_a_refused_signal_is_audited(world: World) -> None:
    from inbeeld.audit.models import Action, AuditEntry

    url = reverse("signals:detail", kwargs={"signal_id": world.signal("B").pk})
    user = world.user(Role.ZORGCOORDINATOR)
    assert verified_client(user).get(url).status_code == 404
    denied = AuditEntry.objects.filter(action=Action.DENIED).order_by("pk").last()
    assert denied is not None
    assert (denied.actor, denied.detail["path"]) == (user.username, url)


# --- Accounts that work in several regions, or in none ------------------------------------
# An administrator may manage an account only when they run every region in which it holds a
# role; an account without a role only when they run its home organisation's region. Every
# accounts page that takes a user is tried by an administrator of A, of B and of A+B on every
# kind of account below; a new such page fails test_every_account_page_is_in_the_matrix.

REGION_OF = {"A": ZEELAND, "B": IJSSELLAND}
# account: (roles as (region, role), home organisation's region)
ACCOUNTS: dict[str, tuple[tuple[tuple[str, str], ...], str | None]] = {
    "ketenpartner A": ((("A", Role.KETENPARTNER),), "A"),
    "ketenpartner B": ((("B", Role.KETENPARTNER),), "B"),
    "fg A and B": ((("A", Role.FG), ("B", Role.FG)), "A"),
    "beheerder A and B": ((("A", Role.BEHEERDER), ("B", Role.BEHEERDER)), "A"),
    "ketenpartner A, home B": ((("A", Role.KETENPARTNER),), "B"),
    "no role, home A": ((), "A"),
    "no role, home B": ((), "B"),
    "no role, no home": ((), None),
}
ADMINISTRATORS: dict[str, tuple[str, ...]] = {"A": ("A",), "B": ("B",), "A+B": ("A", "B")}
# The decision, written out (not computed from the rule it tests).
MANAGES: dict[str, set[str]] = {
    "A": {"ketenpartner A", "ketenpartner A, home B", "no role, home A"},
    "B": {"ketenpartner B", "no role, home B"},
    "A+B": set(ACCOUNTS) - {"no role, no home"},
}


@dataclass
class Accounts:
    organisations: dict[str, Any]  # "A"/"B" → an organisation in that region
    accounts: dict[str, User]
    administrators: dict[str, User]


@pytest.fixture
def accounts(db: Any) -> Accounts:
    organisations = {
        letter: OrganisationFactory.create(region=region(code), name=f"Organisatie {letter}")
        for letter, code in REGION_OF.items()
    }
    made: dict[str, User] = {}
    for name, (roles, home) in ACCOUNTS.items():
        account = staff_user(
            role=Role.KETENPARTNER, organisation=organisations["A"], username=name.replace(" ", "")
        )
        account.memberships.all().delete()
        account.organisation = organisations[home] if home else None
        account.save(update_fields=["organisation"])
        for letter, role in roles:
            Membership.objects.create(user=account, organisation=organisations[letter], role=role)
        made[name] = account
    administrators = {}
    for name, letters in ADMINISTRATORS.items():
        administrator = staff_user(
            role=Role.BEHEERDER, organisation=organisations[letters[0]], username=f"admin{name}"
        )
        for letter in letters[1:]:
            Membership.objects.create(
                user=administrator, organisation=organisations[letter], role=Role.BEHEERDER
            )
        administrators[name] = administrator
    return Accounts(organisations, made, administrators)


def _membership_to_remove(world: Accounts, admin: str, account: User) -> dict[str, Any] | None:
    """The account's role in a region the administrator runs (the one they would remove)."""
    memberships = list(account.memberships.order_by("pk"))
    if not memberships:
        return None  # nothing to remove: the page does not apply
    regions = {region(REGION_OF[letter]).pk for letter in ADMINISTRATORS[admin]}
    own = [m for m in memberships if m.organisation.region_id in regions]
    return {"user_id": account.pk, "membership_id": (own or memberships)[0].pk}


@dataclass(frozen=True)
class AccountPage:
    method: str
    # (world, administrator, account) → URL arguments, or None where the page does not apply
    kwargs: Any
    data: Any = None  # (world, administrator) → POST data


def _user(world: Accounts, admin: str, account: User) -> dict[str, Any]:
    return {"user_id": account.pk}


def _action(action: str) -> Any:
    return lambda w, admin, account: {"user_id": account.pk, "action": action}


def _role_in_own_region(world: Accounts, admin: str) -> dict[str, Any]:
    organisation = world.organisations[ADMINISTRATORS[admin][0]]
    return {"organisation": organisation.pk, "role": Role.ONDERZOEKER}


def account_pages() -> dict[str, AccountPage]:
    from inbeeld.accounts.administration import USER_ACTIONS

    pages = {
        "accounts:user_edit": AccountPage("get", _user),
        "accounts:user_membership_add": AccountPage("post", _user, _role_in_own_region),
        "accounts:user_membership_remove": AccountPage("post", _membership_to_remove),
        "accounts:user_token_revoke": AccountPage(
            "post",
            lambda w, admin, account: {"user_id": account.pk, "token_key": token_of(account)},
        ),
    }
    for action in USER_ACTIONS:
        pages[f"accounts:user_action {action}"] = AccountPage("post", _action(action))
    return pages


def url_names_taking(argument: str) -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and argument in pattern.pattern.regex.groupindex
            ):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_account_page_is_in_the_matrix() -> None:
    covered = {name.split(" ")[0] for name in account_pages()}
    assert url_names_taking("user_id") - covered == set()


def account_state(account: User) -> tuple[Any, ...]:
    """What a refused request must leave as it was."""
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from knox.models import AuthToken

    account.refresh_from_db()
    return (
        AuthToken.objects.filter(user=account).count(),
        account.password,
        account.organisation_id,
        sorted(account.memberships.values_list("organisation_id", "role")),
        TOTPDevice.objects.filter(user=account).count(),
        AccessAttempt.objects.filter(username=account.username).count(),
    )


@pytest.mark.parametrize("admin", sorted(ADMINISTRATORS))
@pytest.mark.parametrize("page", sorted(account_pages()))
def test_account_page_per_administrator_and_account(
    accounts: Accounts, admin: str, page: str
) -> None:
    spec = account_pages()[page]
    url_name = page.split(" ")[0]
    client = verified_client(accounts.administrators[admin])
    wrong: list[str] = []
    for name, account in accounts.accounts.items():
        kwargs = spec.kwargs(accounts, admin, account)
        if kwargs is None:
            continue
        before = account_state(account)
        url = reverse(url_name, kwargs=kwargs)
        data = spec.data(accounts, admin) if spec.data else {}
        response = client.post(url, data) if spec.method == "post" else client.get(url)
        allowed = name in MANAGES[admin]
        expected = ({200} if spec.method == "get" else {302}) if allowed else {404}
        if response.status_code not in expected:
            wrong.append(f"{name}: {response.status_code}, expected {expected}")
        if not allowed and account_state(account) != before:
            wrong.append(f"{name}: changed by a refused request")
    assert not wrong, f"administrator of {admin} on {page}: " + "; ".join(wrong)


def test_the_user_list_shows_exactly_the_managed_accounts(accounts: Accounts) -> None:
    for admin, administrator in accounts.administrators.items():
        page = verified_client(administrator).get(reverse("accounts:users")).content.decode()
        listed = {
            name
            for name, account in accounts.accounts.items()
            if reverse("accounts:user_edit", kwargs={"user_id": account.pk}) in page
        }
        assert listed == MANAGES[admin], admin


def test_replay_of_the_reported_takeover_is_refused_and_audited(db: Any) -> None:
    """beheerder.ijsselland resets the password and second factor of fg (FG in both regions)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from inbeeld.audit.models import Action, AuditEntry
    from inbeeld.testing.factories import TEST_PASSWORD

    zeeland = OrganisationFactory.create(region=region(ZEELAND), name="Programma Zeeland")
    ijsselland = OrganisationFactory.create(region=region(IJSSELLAND), name="Programma IJssel")
    fg = staff_user(role=Role.FG, organisation=zeeland, username="fg")
    Membership.objects.create(user=fg, organisation=ijsselland, role=Role.FG)
    attacker = staff_user(
        role=Role.BEHEERDER, organisation=ijsselland, username="beheerder.ijsselland"
    )
    client = verified_client(attacker)
    fg_page = reverse("accounts:user_edit", kwargs={"user_id": fg.pk})
    assert fg_page not in client.get(reverse("accounts:users")).content.decode()
    for action in ("reset-password", "reset-2fa"):
        url = reverse("accounts:user_action", kwargs={"user_id": fg.pk, "action": action})
        assert client.post(url).status_code == 404
        denied = AuditEntry.objects.filter(action=Action.DENIED).order_by("pk").last()
        assert denied is not None
        assert (denied.actor, denied.detail["path"]) == ("beheerder.ijsselland", url)
    fg.refresh_from_db()
    assert fg.check_password(TEST_PASSWORD)
    assert TOTPDevice.objects.filter(user=fg, confirmed=True).exists()
    # Nor by the back door: a role in IJsselland cannot be added to or removed from fg.
    add = reverse("accounts:user_membership_add", kwargs={"user_id": fg.pk})
    assert client.post(add, {"organisation": ijsselland.pk, "role": Role.FG}).status_code == 404
    remove = reverse(
        "accounts:user_membership_remove",
        kwargs={"user_id": fg.pk, "membership_id": fg.memberships.get(organisation=ijsselland).pk},
    )
    assert client.post(remove).status_code == 404
    assert fg.memberships.count() == 2


# --- One account, roles in two regions -----------------------------------------------------
# Each role counts only in its own region: being zorgcoördinator in A gives nothing in B,
# where the same account is a chain partner that neither reported nor was given the signal.


def test_a_two_region_account_coordinates_only_in_the_region_where_it_coordinates(
    world: World,
) -> None:
    client = verified_client(world.two_regions)
    for letter, expected in (("A", 200), ("B", 404)):
        signal_id = world.signal(letter).pk
        detail = client.get(reverse("signals:detail", kwargs={"signal_id": signal_id}))
        note = client.post(
            reverse("signals:note_add", kwargs={"signal_id": signal_id}), {"text": "notitie"}
        )
        assert detail.status_code == expected, letter
        assert (note.status_code == 404) == (expected == 404), letter
    queue = client.get(reverse("signals:queue")).content.decode()
    for letter, listed in (("A", True), ("B", False)):
        url = reverse("signals:detail", kwargs={"signal_id": world.signal(letter).pk})
        assert (f'href="{url}"' in queue) == listed, letter


def test_a_two_region_account_lists_only_what_each_role_may_see_in_the_api(world: World) -> None:
    from inbeeld.accounts.tokens import api_token_create

    signal_a, signal_b = world.signal("A"), world.signal("B")
    token = api_token_create(user=world.two_regions)
    response = Client().get(reverse("v1:signals"), HTTP_AUTHORIZATION=f"Token {token}")
    listed = {item["id"] for item in response.json()["results"]}
    assert signal_a.pk in listed
    assert signal_b.pk not in listed
