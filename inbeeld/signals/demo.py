"""Demo signals for a first look, made by code: every person and story here is invented.

"Demo Persoon" lets the FG try a data-subject request: two signals in Zeeland with the name
spelled differently (found by the same keyed hash), one with a note, a share, a consent and
an addition by the reporter; and a namesake in IJsselland with another date of birth, which
the date of birth leaves out. Called by ``inbeeld demo`` (accounts/demo.py) after the demo
staff exist, in the same transaction.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.utils import timezone

from inbeeld.accounts.models import Organisation, User
from inbeeld.privacy.consent import consent_record
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import ConsentScope
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import NoteKind, Outcome, Signal, Status
from inbeeld.signals.services import (
    SignalInput,
    reporter_addition_add,
    signal_create_partner,
    signal_create_public,
    signal_status_change,
)
from inbeeld.signals.triage import note_add, signal_assign

DEMO_PERSON = "Demo Persoon"
DEMO_PERSON_BIRTH = date(2000, 1, 1)
DEMO_PHONE = "06 0000 0001"  # not a real subscriber number: obviously made up
DEMO_MARK = "DEMO, verzonnen: "


def demo_person_lines() -> list[str]:
    """What `inbeeld demo` prints so the FG knows whom to look up."""
    return [
        "Demo-betrokkene / demo data subject (verzonnen / invented):",
        f"  {DEMO_PERSON}, geboren / born {DEMO_PERSON_BIRTH:%d-%m-%Y}, tel. {DEMO_PHONE}",
        "  Log in als / log in as `fg` -> Verzoeken van betrokkenen / Data-subject requests.",
    ]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _partner_signal(username: str, municipality: str, data: dict[str, Any]) -> Signal:
    user = _user(username)
    organisation = Organisation.objects.get(memberships__user=user)
    signal, _new = signal_create_partner(
        data=SignalInput(municipality=Municipality.objects.get(code=municipality), **data),
        by=user,
        organisation=organisation,
    )
    return signal


def demo_signals_create() -> None:
    """The demo signals; run once, inside the demo's transaction."""
    first = _demo_person_in_goes()
    _demo_person_via_meldpunt()
    _partner_signal(
        "aandachtsfunctionaris.zwolle",
        "GM0193",
        {
            "description": DEMO_MARK + "naamgenoot in IJsselland, andere geboortedatum.",
            "victim_name": DEMO_PERSON,
            "victim_date_of_birth": date(1985, 5, 5),
            "exploitation_forms": ["criminal"],
            "indicators": ["GEN-ESCORTED"],
        },
    )
    _other_signals()
    coordinator = _user("zorgcoordinator.zeeland")
    signal_status_change(
        by=coordinator, signal=first, status=Status.IN_PROGRESS, version=first.version
    )


def _demo_person_in_goes() -> Signal:
    signal = _partner_signal(
        "aandachtsfunctionaris.goes",
        "GM0664",
        {
            "description": DEMO_MARK + "werkt lange dagen in een kas en woont op het terrein.",
            "place_text": "Voorbeeldweg 1 (verzonnen)",
            "exploitation_forms": ["labour"],
            "indicators": ["LAB-LIVES-AT-WORK", "LAB-EXCESSIVE-HOURS", "GEN-DOCS"],
            "methods": ["MET-DOCUMENTS"],
            "victim_name": DEMO_PERSON,
            "victim_date_of_birth": DEMO_PERSON_BIRTH,
            "victim_age_band": "24-49",
            "victim_gender": "female",
            "victim_nationality": "RO",
            "phone_numbers": DEMO_PHONE,
            "reporter_contact": "Aandachtsfunctionaris Goes (demo)",
        },
    )
    coordinator = _user("zorgcoordinator.zeeland")
    note_add(
        by=coordinator,
        signal=signal,
        kind=NoteKind.NOTE,
        text=DEMO_MARK + "gesprek gepland met de persoon, met tolk.",
    )
    consent_record(
        by=coordinator,
        target=signal,
        scope=ConsentScope.CARE_PARTNERS,
        given_on=timezone.localdate(),
        how="Mondeling, in het gesprek (demo)",
    )
    signal_assign(
        by=coordinator,
        signal=signal,
        to_user=_user("politie.zeeland"),
        legal_basis=LegalBasis.COVENANT,
        purpose="Onderzoek naar arbeidsuitbuiting (demo)",
        version=signal.version,
    )
    return signal


def _demo_person_via_meldpunt() -> Signal:
    """The same person reported by a neighbour, with the name spelled otherwise."""
    signal = signal_create_public(
        data=SignalInput(
            municipality=Municipality.objects.get(code="GM0718"),
            description=DEMO_MARK + "buurvrouw wordt elke ochtend om vijf uur opgehaald.",
            victim_name="démo  PERSOON",
            exploitation_forms=["labour"],
            indicators=["LAB-GROUP-TRANSPORT"],
        ),
        form_token=secrets.token_urlsafe(24),
    ).signal
    reporter_addition_add(signal=signal, text=DEMO_MARK + "het busje is wit.")
    return signal


def _other_signals() -> None:
    _partner_signal(
        "politie.zeeland",
        "GM0687",
        {
            "description": DEMO_MARK + "drie jonge vrouwen in een woning, steeds andere bezoekers.",
            "exploitation_forms": ["sexual"],
            "indicators": ["SEX-ADVERTISED", "SEX-SLEEPS-AT-WORK", "GEN-ESCORTED"],
            "acute": True,
            "people_count": 3,
        },
    )
    closed = _partner_signal(
        "veiligthuis.zeeland",
        "GM0664",
        {
            "description": DEMO_MARK + "jongen verkoopt drugs voor een oudere vriend.",
            "victim_name": "Voorbeeld Jongen",
            "victim_age_band": "minor",
            "exploitation_forms": ["criminal"],
            "indicators": ["SEX-CONTROLLING-PARTNER"],
        },
    )
    signal_status_change(
        by=_user("zorgcoordinator.zeeland"),
        signal=closed,
        status=Status.CLOSED,
        outcome=Outcome.OTHER_PROBLEMS,
        version=closed.version,
    )
    _partner_signal(
        "politie.ijsselland",
        "GM0150",
        {
            "description": DEMO_MARK + "arbeiders slapen in een loods bij een distributiecentrum.",
            "exploitation_forms": ["labour"],
            "indicators": ["LAB-POOR-HOUSING", "LAB-UNDERPAID"],
            "people_count": 8,
        },
    )
