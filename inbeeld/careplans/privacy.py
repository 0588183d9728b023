"""Care plans' registration with privacy/ (registry.py): what happens to a plan and its rows.

Retention (docs/privacy.md, "Care plans"): the plan has no period of its own; it goes when
its case goes (a foreign key that cascades: the case's retention rules, five years after
closing, remove it with its domains, actions and versions; the tasks of its actions and
review dates go with them through tasks/registry.py).

Data-subject rights: the FG finds a plan by the keyed hash of its case's person's name, as
the case. Erasure follows the case's reasons: refused while the case is open and not
restricted. Erasure empties the situation, the goals and the actions' texts; what changed
when (the versions) holds no text and stays. A plan is only ever reached through its case,
so restricting the plan restricts its case (and lifting it lifts the case's).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.careplans.history import action_numbers, version_texts
from inbeeld.careplans.models import CarePlan, CarePlanAction, CarePlanDomain, LifeDomain
from inbeeld.cases.models import CasePerson
from inbeeld.cases.privacy import CaseRights
from inbeeld.privacy.export import audit_export, audit_trail, dated, staff
from inbeeld.privacy.registry import (
    Kept,
    PersonalDataKind,
    RecordSummary,
    Related,
    SubjectQuery,
    SubjectRights,
    registry,
)

ERASED = "[erased]"
GO_WITH_PLAN = gettext_lazy("Removed with the plan, and so with its case.")


def careplan_export(plan: CarePlan) -> dict[str, Any]:
    domains = {row.domain: row for row in plan.domains.all()}
    actions = list(plan.actions.select_related("owner_organisation").order_by("created_at", "pk"))
    versions = list(plan.versions.order_by("number"))
    trail = list(audit_trail(plan))
    people = staff([v.by_id for v in versions] + [e.actor_id for e in trail])
    numbers = action_numbers(plan)
    return {
        "reference": plan.case.reference,
        **dated("created_at", plan.created_at),
        "domains": [
            {
                "domain": code,
                "domain_text": str(label),
                "situation": domains[code].situation,
                "goals": domains[code].goals,
                **dated("review_date", domains[code].review_date),
            }
            for code, label in LifeDomain.choices
            if code in domains
        ],
        "actions": [
            {
                "number": numbers.get(action.pk, 0),
                "domain": action.domain,
                "domain_text": str(LifeDomain(action.domain).label),
                "description": action.description,
                "organisation": str(action.owner_organisation),
                **dated("due", action.due),
                "status": action.status,
                "status_text": action.get_status_display(),
            }
            for action in actions
        ],
        "versions": [
            {
                "number": version.number,
                **dated("at", version.at),
                "by_organisation": people.describe(version.by_id),
                "changes": version_texts(version, numbers),
            }
            for version in versions
        ],
        "audit_trail": [audit_export(e, people) for e in trail],
    }


class CarePlanRights(SubjectRights[CarePlan]):
    slug = "zorgplannen"
    singular = gettext_lazy("Care plan")
    export_key = "care_plans"
    export_template = "careplans/privacy_export.html"
    not_included = ()
    region_field = "case__region"
    select_related = ("case", "case__region")
    erasure_explanation = gettext_lazy(
        "Empties the situation and goals of every life domain and the texts of the actions. "
        "What stays: the domains, review dates, organisations, due dates and statuses of the "
        "actions, and the versions (what changed when, never the text). This cannot be undone."
    )

    def matches(self, query: SubjectQuery) -> dict[int, set[str]]:
        if not query.name_index:
            return {}
        cases = CasePerson.objects.filter(name_index=query.name_index).values("case_id")
        found = CarePlan.objects.filter(case_id__in=cases).values_list("pk", flat=True)
        return {pk: {"name"} for pk in found}

    def date_of_birth(self, record: CarePlan) -> str:
        person = CasePerson.objects.filter(case_id=record.case_id).first()
        return person.date_of_birth if person else ""

    def summary(self, record: CarePlan) -> RecordSummary:
        case = record.case
        return RecordSummary(
            code=case.reference,
            region=case.region,
            received=record.created_at,
            status=case.get_status_display(),
            restricted=case.restricted,
            restriction_reason=case.restriction_reason,
            erased_at=case.erased_at,
        )

    def export(self, record: CarePlan) -> dict[str, Any]:
        return careplan_export(record)

    def erasure_refusal(self, record: CarePlan) -> str:
        case = record.case
        if case.is_open and not case.restricted:
            return _(
                "The case of this plan is open: partners are acting on it, and the plan is "
                "still needed for the care and for legal claims (AVG art. 17(3)(b) and (e)). "
                "Restrict processing first, with the reason; after that the plan can be erased."
            )
        if not _texts_left(record):
            return _("This plan holds no text to erase (any more).")
        return ""

    def erase(self, record: CarePlan) -> dict[str, int]:
        domains = list(record.domains.all())
        for row in domains:
            row.situation = ERASED if row.situation else ""
            row.goals = ERASED if row.goals else ""
        CarePlanDomain.objects.bulk_update(domains, ["situation", "goals"])
        record.save(update_fields=["updated_at"])
        return {
            "domains": len(domains),
            "actions": CarePlanAction.objects.filter(plan=record).update(description=ERASED),
        }

    def is_restricted(self, record: CarePlan) -> bool:
        return bool(record.case.restricted)

    def restrict(self, record: CarePlan, reason: str) -> None:
        CaseRights().restrict(record.case, reason)

    def lift(self, record: CarePlan) -> None:
        CaseRights().lift(record.case)


def _texts_left(plan: CarePlan) -> bool:
    texts = [t for row in plan.domains.all() for t in (row.situation, row.goals)]
    texts += [action.description for action in plan.actions.all()]
    return any(text and text != ERASED for text in texts)


CARE_PLANS = registry.register(
    PersonalDataKind(
        model=CarePlan,
        label=gettext_lazy("Care plans"),
        about=gettext_lazy(
            "The plan of a case over the life domains: situation and goals (encrypted), "
            "actions with their organisation and due date, review dates, and its versions."
        ),
        kept=(
            Kept(
                gettext_lazy(
                    "No period of its own: removed with its case, by the case's retention "
                    "(five years after closing) or any other removal of the case."
                )
            ),
        ),
        related=(
            Related(
                "careplans.CarePlanDomain",
                gettext_lazy("Life domains of a care plan"),
                gettext_lazy(
                    "Removed with the plan. When it is erased, situation and goals become "
                    '"[erased]".'
                ),
            ),
            Related(
                "careplans.CarePlanAction",
                gettext_lazy("Actions of a care plan"),
                gettext_lazy(
                    'Removed with the plan. When it is erased, their text becomes "[erased]".'
                ),
            ),
            Related(
                "careplans.CarePlanVersion", gettext_lazy("Versions of a care plan"), GO_WITH_PLAN
            ),
        ),
        subject=CarePlanRights(),
    )
)
