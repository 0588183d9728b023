"""The public knowledge page's content: signal lists from the indicator catalogue's public
texts (the questions a member of the public can answer), one card per form of exploitation,
which cards matter most to each target group, and the reporting routes.

Which forms each target group meets most is a judgement (the catalogue has no target
groups): hotel and taxi staff see sexual and labour exploitation, employers labour
exploitation, schools criminal and sexual exploitation (loverboys), and so on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inbeeld.network.models import TargetGroup
from inbeeld.signals.scoring import current_catalogue

FORMS_PER_TARGET_GROUP: dict[str, tuple[str, ...]] = {
    TargetGroup.MUNICIPAL_STAFF: ("sexual", "labour", "criminal", "other"),
    TargetGroup.POLICE: ("sexual", "labour", "criminal", "other"),
    TargetGroup.CARE_WORKERS: ("sexual", "criminal", "labour", "other"),
    TargetGroup.SCHOOLS: ("criminal", "sexual"),
    TargetGroup.EMPLOYERS: ("labour",),
    TargetGroup.HOTEL_TAXI: ("sexual", "labour"),
    TargetGroup.INSPECTORS: ("labour", "sexual", "other"),
    TargetGroup.KEY_FIGURES: ("sexual", "labour", "criminal", "other"),
    TargetGroup.GENERAL_PUBLIC: ("sexual", "labour", "criminal", "other"),
}


@dataclass(frozen=True)
class SignalCard:
    code: str
    title: str
    signals: list[str]


@dataclass(frozen=True)
class ReportingRoute:
    name: str | Promise
    number: str
    when: str | Promise


REPORTING_ROUTES = (
    ReportingRoute(_("Emergency"), "112", _("Acute danger: someone is threatened or hurt now.")),
    ReportingRoute(_("Police"), "0900-8844", _("No emergency, but you suspect human trafficking.")),
    ReportingRoute(
        _("Netherlands Labour Authority (NLA)"),
        "0800-5151",
        _("Signals of labour exploitation or bad working conditions."),
    ),
    ReportingRoute(
        _("Meld Misdaad Anoniem"),
        "0800-7000",
        _("You want to report without giving your name."),
    ),
)


def signal_cards() -> list[SignalCard]:
    """One card per form of exploitation with public texts, in the catalogue's order."""
    catalogue = current_catalogue()
    dutch = (get_language() or "nl").startswith("nl")
    cards = []
    for form in catalogue.forms:
        signals = [
            (i.public_question.nl if dutch else i.public_question.en)
            for i in catalogue.indicators_for(form.code)
            if i.public_question is not None
        ]
        if signals:
            cards.append(SignalCard(form.code, form.nl if dutch else form.en, signals))
    return cards


def target_group_cards(cards: list[SignalCard]) -> list[tuple[str, list[SignalCard]]]:
    by_code = {card.code: card for card in cards}
    return [
        (str(label), [by_code[c] for c in FORMS_PER_TARGET_GROUP.get(code, ()) if c in by_code])
        for code, label in TargetGroup.choices
    ]
