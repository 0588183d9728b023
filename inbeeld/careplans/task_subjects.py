"""Care plans' dated things as task subjects (tasks/registry.py).

An action with a due date and a domain's review date are tasks of the one task engine; the
action (``careplan.action``) and the domain (``case.review``) are their subjects. Both are
seen exactly by whoever may see the case (cases/rules.py: ``cases.view_case``), and given
tasks by whoever may change it. Lists name them by the case's reference, never by the text.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from inbeeld.accounts.models import User
from inbeeld.careplans import access
from inbeeld.careplans.models import CarePlanAction, CarePlanDomain, LifeDomain
from inbeeld.careplans.services import ACTION_SOURCE, REVIEW_SOURCE
from inbeeld.tasks.registry import register_subject


def _case_of(subject: Any) -> Any:
    return subject.plan.case


def _visible(user: User, subject: Any) -> bool:
    return bool(user.has_perm("cases.view_case", _case_of(subject)))


def _may_add(user: User, subject: Any) -> bool:
    return bool(user.has_perm("cases.change_case", _case_of(subject)))


def _describe(subject: Any) -> str:
    return _("Care plan %(reference)s, %(domain)s") % {
        "reference": _case_of(subject).reference,
        "domain": str(LifeDomain(subject.domain).label).lower(),
    }


def _url(subject: Any) -> str:
    return reverse("careplans:detail", args=[subject.plan.case_id]) + f"#domain-{subject.domain}"


register_subject(
    CarePlanAction,
    visible=_visible,
    may_add=_may_add,
    get_for=access.action_subject_get_for,
    describe=_describe,
    url=_url,
    follow_up_source=ACTION_SOURCE,
)
register_subject(
    CarePlanDomain,
    visible=_visible,
    may_add=_may_add,
    get_for=access.domain_subject_get_for,
    describe=_describe,
    url=_url,
    follow_up_source=REVIEW_SOURCE,
)
