"""The demo's care plans, made through the services: every word here is invented.

The six demo cases of Zeeland (cases/demo.py) at different stages: a plan just started, one
well under way (an action done), one with an action of the police that is overdue, one
about a minor's safety and school, one case without a plan yet, and the closed case without
one. Called by ``inbeeld demo`` (accounts/demo.py) after the cases, in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from inbeeld.accounts.models import Organisation, User
from inbeeld.careplans.models import ActionStatus, CarePlan, LifeDomain
from inbeeld.careplans.services import (
    ActionInput,
    DomainInput,
    action_add,
    action_status_set,
    domain_update,
)
from inbeeld.cases.demo import COORDINATOR, DEMO_MARK
from inbeeld.cases.models import Case, CaseStatus


def _version(case: Case) -> int:
    plan = CarePlan.objects.filter(case=case).first()
    return plan.version if plan else 1


def _domain(by: User, case: Case, domain: str, goals: str, review_in: int | None = None) -> None:
    today = timezone.localdate()
    domain_update(
        by=by,
        case=case,
        domain=domain,
        version=_version(case),
        data=DomainInput(
            situation=DEMO_MARK + "situatie besproken met de cliënt.",
            goals=DEMO_MARK + goals,
            review_date=today + timedelta(days=review_in) if review_in is not None else None,
        ),
    )


def _action(
    by: User,
    case: Case,
    domain: str,
    text: str,
    due_in: int | None,
    organisation: Organisation | None = None,
) -> None:
    today = timezone.localdate()
    action_add(
        by=by,
        case=case,
        version=_version(case),
        data=ActionInput(
            domain=domain,
            description=DEMO_MARK + text,
            owner_organisation=organisation or case.owner_organisation,
            owner=by if organisation is None else None,
            due=today + timedelta(days=due_in) if due_in is not None else None,
        ),
    )


def demo_careplans_create() -> None:
    """Plans for the open demo cases of Zeeland; run once, inside the demo's transaction."""
    coordinator = User.objects.filter(username=COORDINATOR).first()
    if coordinator is None:
        return
    cases = list(Case.objects.filter(region__code="VR19", status=CaseStatus.OPEN).order_by("pk"))
    if len(cases) < 5:
        return
    started, under_way, overdue, minor = cases[0], cases[1], cases[2], cases[4]
    # cases[3] has no plan yet: the coordinator still has to write it.

    _domain(coordinator, started, LifeDomain.SAFETY, "veilige opvangplek deze week.", 14)
    _action(coordinator, started, LifeDomain.SAFETY, "opvang aanvragen.", 3)

    _domain(coordinator, under_way, LifeDomain.SAFETY, "blijft in de categorale opvang.", 30)
    _domain(coordinator, under_way, LifeDomain.HEALTH, "huisarts en traumabehandeling.", 30)
    _domain(coordinator, under_way, LifeDomain.LEGAL, "besluit over aangifte na bedenktijd.", 21)
    _domain(coordinator, under_way, LifeDomain.RESIDENCE, "verblijfsvergunning B8 aanvragen.")
    _action(coordinator, under_way, LifeDomain.HEALTH, "intake GGZ plannen.", 10)
    _action(coordinator, under_way, LifeDomain.LEGAL, "advocaat toewijzen.", -5)
    done = under_way.care_plan.actions.get(domain=LifeDomain.LEGAL)
    action_status_set(
        by=coordinator,
        case=under_way,
        action=done,
        version=_version(under_way),
        status=ActionStatus.DONE,
    )

    police = Organisation.objects.filter(region__code="VR19", name__startswith="Politie").first()
    _domain(coordinator, overdue, LifeDomain.LEGAL, "aangifte opnemen met tolk Roemeens.", 7)
    _domain(coordinator, overdue, LifeDomain.INCOME, "schulden bij de werkgever in kaart.", 28)
    _action(coordinator, overdue, LifeDomain.LEGAL, "aangifte opnemen.", -3, police)
    _action(coordinator, overdue, LifeDomain.INCOME, "schuldhulp aanmelden.", 12)

    _domain(
        coordinator, minor, LifeDomain.SAFETY, "thuis veilig; contact met jeugdbescherming.", 10
    )
    _domain(coordinator, minor, LifeDomain.DAYTIME, "terug naar school na de zomer.")
    _action(coordinator, minor, LifeDomain.DAYTIME, "gesprek met de leerplichtambtenaar.", 20)
