"""What a referral passes on: exactly the ticked fields of its case, read when shown.

The one place that turns a referral's ``shared_fields`` into values; the receiving page and
the API show this and nothing else of the case (a test searches the page for an unshared
field's value).
"""

from __future__ import annotations

from dataclasses import dataclass

from inbeeld.cases.models import CasePerson
from inbeeld.referrals.models import Referral, SharedField


@dataclass(frozen=True)
class SharedValue:
    code: str
    label: str
    value: str


def _value(code: str, referral: Referral, person: CasePerson | None) -> str:
    case = referral.case
    if code == SharedField.EXPLOITATION_FORMS:
        return ", ".join(case.exploitation_form_labels)
    if code == SharedField.MUNICIPALITY:
        return str(case.municipality or "")
    if person is None:
        return ""
    if code == SharedField.NAME:
        return str(person.name)
    if code == SharedField.DATE_OF_BIRTH:
        return str(person.date_of_birth)
    if code == SharedField.AGE_BAND:
        return str(person.get_age_band_display()) if person.age_band else ""
    if code == SharedField.GENDER:
        return str(person.get_gender_display()) if person.gender else ""
    if code == SharedField.NATIONALITIES:
        return ", ".join(person.nationality_names)
    return ""


def shared_values(referral: Referral) -> list[SharedValue]:
    person = CasePerson.objects.filter(case_id=referral.case_id).first()
    return [
        SharedValue(code, str(SharedField(code).label), _value(code, referral, person))
        for code in referral.shared_fields
        if code in SharedField.values
    ]
