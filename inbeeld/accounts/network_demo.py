"""The demo's network: the directory and the covenant of Zeeland and IJsselland.

Zeeland has contact persons in the nine municipalities its newsletter names (seed 003: Goes,
Vlissingen, Middelburg, Terneuzen, Reimerswaal, Kapelle, Schouwen-Duiveland, Hulst and
Noord-Beveland), so that the coverage view shows the four without one (Borsele, Sluis,
Tholen, Veere). Both regions have a covenant in force signed by their demo partners, so that
the demo's assignments on the covenant basis go through; the Koninklijke Marechaussee and
Gemeente Deventer have not signed, so the refusal can be seen too. Every name, number and
address is made up and says so.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from inbeeld.accounts.covenants import (
    CovenantInput,
    SignatureInput,
    covenant_sign,
    covenant_version_add,
)
from inbeeld.accounts.directory import ContactInput, contact_person_create
from inbeeld.accounts.models import ContactRole, Organisation, User
from inbeeld.regions.models import Municipality, Region

ZEELAND, IJSSELLAND = "VR19", "VR04"
Organisations = dict[tuple[str, str], Organisation]

# The nine Zeeland municipalities with an aandachtsfunctionaris (seed 003), by CBS code.
ZEELAND_CONTACT_MUNICIPALITIES = {
    "GM0664": "Goes",
    "GM0718": "Vlissingen",
    "GM0687": "Middelburg",
    "GM0715": "Terneuzen",
    "GM0703": "Reimerswaal",
    "GM0678": "Kapelle",
    "GM1676": "Schouwen-Duiveland",
    "GM0677": "Hulst",
    "GM1695": "Noord-Beveland",
}
# Demo accounts that are also the contact person of their organisation.
ACCOUNT_OF = {
    "Gemeente Goes": "aandachtsfunctionaris.goes",
    "Gemeente Vlissingen": "aandachtsfunctionaris.vlissingen",
    "Gemeente Zwolle": "aandachtsfunctionaris.zwolle",
}
# (region, organisation, name, role, function): contacts for the whole region.
REGIONAL_CONTACTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        ZEELAND,
        "Zorgcoördinatie mensenhandel Zeeland",
        "Zorgcoördinator Zeeland (demo)",
        ContactRole.ZORGCOORDINATOR,
        "Zorgcoördinator mensenhandel",
    ),
    (
        ZEELAND,
        "Programma aanpak mensenhandel Zeeland",
        "Kwartiermaker Zeeland (demo)",
        ContactRole.KETENREGISSEUR,
        "Kwartiermaker aanpak mensenhandel",
    ),
    (
        ZEELAND,
        "Politie Zeeland-West-Brabant",
        "Contactpersoon politie (demo)",
        ContactRole.TRAFFICKING_CONTACT,
        "Rechercheur mensenhandel",
    ),
    (
        ZEELAND,
        "Veilig Thuis Zeeland",
        "Contactpersoon Veilig Thuis (demo)",
        ContactRole.TRAFFICKING_CONTACT,
        "Aandachtsfunctionaris mensenhandel",
    ),
    (
        ZEELAND,
        "Nederlandse Arbeidsinspectie",
        "Contactpersoon NLA (demo)",
        ContactRole.TRAFFICKING_CONTACT,
        "Inspecteur",
    ),
    (
        IJSSELLAND,
        "Zorgcoördinatie mensenhandel IJsselland",
        "Zorgcoördinator IJsselland (demo)",
        ContactRole.ZORGCOORDINATOR,
        "Zorgcoördinator mensenhandel",
    ),
    (
        IJSSELLAND,
        "Politie Oost-Nederland",
        "Contactpersoon politie IJsselland (demo)",
        ContactRole.TRAFFICKING_CONTACT,
        "Rechercheur mensenhandel",
    ),
)
IJSSELLAND_CONTACT_MUNICIPALITIES = {"GM0193": "Zwolle", "GM0150": "Deventer"}
NOT_SIGNED = {(ZEELAND, "Koninklijke Marechaussee"), (IJSSELLAND, "Gemeente Deventer")}
COVENANTS = {
    ZEELAND: ("Intentieverklaring aanpak mensenhandel Zeeland (demo)", "2020-1", date(2020, 10, 1)),
    IJSSELLAND: (
        "Intentieverklaring aanpak mensenhandel IJsselland (demo)",
        "2024-1",
        date(2024, 1, 1),
    ),
}
COVENANT_TEXT = (
    "DEMO, verzonnen tekst.\n\n"
    "De ondertekenende partners verklaren samen te werken aan een sluitende regionale aanpak "
    "van mensenhandel: preventie en signalering, ondersteuning en bescherming van slachtoffers, "
    "en opsporing.\n\n"
    "Zij wijzen elk een contactpersoon mensenhandel aan, bespreken signalen aan de regionale "
    "overlegtafel en delen daarvoor gegevens, niet meer dan nodig, met de partners die deze "
    "intentieverklaring hebben ondertekend."
)


def _phone(number: int) -> str:
    return f"06 0000 {number:04d}"  # like the signals demo: obviously not a subscriber number


def _email(name: str) -> str:
    local = name.lower().replace(" (demo)", "").replace(" ", ".").replace("ö", "o")
    return f"{local}@demo.example"


def demo_network_create(organisations: Organisations, users: dict[str, User]) -> None:
    """Contact persons and the covenant of both demo regions (services, all audited)."""
    _contacts(organisations, users)
    for region_code, (title, version, start) in COVENANTS.items():
        keeper = _keeper(users, region_code)
        covenant = covenant_version_add(
            by=keeper,
            region=Region.objects.get(code=region_code),
            data=CovenantInput(title, version, COVENANT_TEXT, start, None),
        )
        for (code, name), organisation in sorted(organisations.items()):
            if code != region_code or (code, name) in NOT_SIGNED:
                continue
            function = "Burgemeester" if name.startswith("Gemeente") else "Directeur"
            covenant_sign(
                by=keeper,
                covenant=covenant,
                data=SignatureInput(organisation, start, f"Ondertekenaar {name} (demo)", function),
            )


def _contacts(organisations: Organisations, users: dict[str, User]) -> None:
    number = 100
    municipal = [(ZEELAND, code, name) for code, name in ZEELAND_CONTACT_MUNICIPALITIES.items()]
    municipal += [
        (IJSSELLAND, code, name) for code, name in IJSSELLAND_CONTACT_MUNICIPALITIES.items()
    ]
    for region_code, code, name in municipal:
        number += 1
        organisation = organisations[(region_code, f"Gemeente {name}")]
        contact_name = f"Contactpersoon {name} (demo)"
        contact_person_create(
            by=_keeper(users, region_code),
            data=ContactInput(
                organisation=organisation,
                name=contact_name,
                role=ContactRole.AANDACHTSFUNCTIONARIS,
                function="Beleidsadviseur zorg en veiligheid",
                phone=_phone(number),
                email=_email(contact_name),
                municipalities=[Municipality.objects.get(code=code)],
                listed_publicly=number % 2 == 1,
                active_from=date(2020, 9, 1),
                user=users.get(ACCOUNT_OF.get(organisation.name, "")),
            ),
        )
    for region_code, organisation_name, name, role, function in REGIONAL_CONTACTS:
        number += 1
        contact_person_create(
            by=_keeper(users, region_code),
            data=ContactInput(
                organisation=organisations[(region_code, organisation_name)],
                name=name,
                role=role,
                function=function,
                phone=_phone(number),
                email=_email(name),
                active_from=date(2020, 9, 1),
            ),
        )
    # Someone who was the contact before: on the organisation page for the keepers only.
    today = timezone.localdate()
    contact_person_create(
        by=_keeper(users, ZEELAND),
        data=ContactInput(
            organisation=organisations[(ZEELAND, "Gemeente Middelburg")],
            name="Vorige contactpersoon Middelburg (demo)",
            role=ContactRole.AANDACHTSFUNCTIONARIS,
            municipalities=[Municipality.objects.get(code="GM0687")],
            active_from=date(2019, 1, 1),
            active_until=today - timedelta(days=30),
        ),
    )


def _keeper(users: dict[str, User], region_code: str) -> User:
    return users[
        "ketenregisseur.zeeland" if region_code == ZEELAND else "ketenregisseur.ijsselland"
    ]
