"""A realistic demo for a first look: Zeeland and IJsselland, their partners and staff.

Only for the embedded mode: ``inbeeld demo`` refuses to run in production mode. The demo
password and the TOTP secrets are random per database; they are printed once and kept in the
(git-ignored, owner-only) data folder so that the next ``inbeeld demo --if-empty`` can show
the logins again.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from inbeeld.accounts.models import Organisation, OrganisationType, Role, User
from inbeeld.accounts.network_demo import demo_network_create
from inbeeld.accounts.services import membership_add, user_create
from inbeeld.accounts.twofactor import totp_current_code, totp_secret_base32
from inbeeld.careplans.demo import demo_careplans_create
from inbeeld.cases.demo import demo_cases_create
from inbeeld.casetable.demo import demo_casetable_create
from inbeeld.insight.demo import demo_figures_create
from inbeeld.network.demo import demo_network_activities_create
from inbeeld.placements.demo import demo_placements_create
from inbeeld.referrals.demo import demo_referrals_create
from inbeeld.regions.models import Municipality, Region
from inbeeld.registration.demo import demo_registrations_create
from inbeeld.residence.demo import demo_residence_create
from inbeeld.shelter.demo import demo_shelter_create
from inbeeld.signals.demo import demo_person_lines, demo_signals_create
from inbeeld.tasks.demo import demo_tasks_create

ZEELAND = "VR19"
IJSSELLAND = "VR04"
DEMO_DEVICE_NAME = "demo"

# (region, name, type, municipality CBS code or None). Names as they appear in the seeds.
DEMO_ORGANISATIONS: tuple[tuple[str, str, str, str | None], ...] = (
    (ZEELAND, "Zorgcoördinatie mensenhandel Zeeland", OrganisationType.CARE, None),
    (ZEELAND, "Gemeente Goes", OrganisationType.MUNICIPALITY, "GM0664"),
    (ZEELAND, "Gemeente Vlissingen", OrganisationType.MUNICIPALITY, "GM0718"),
    (ZEELAND, "Gemeente Middelburg", OrganisationType.MUNICIPALITY, "GM0687"),
    (ZEELAND, "Gemeente Terneuzen", OrganisationType.MUNICIPALITY, "GM0715"),
    (ZEELAND, "Gemeente Reimerswaal", OrganisationType.MUNICIPALITY, "GM0703"),
    (ZEELAND, "Gemeente Kapelle", OrganisationType.MUNICIPALITY, "GM0678"),
    (ZEELAND, "Gemeente Schouwen-Duiveland", OrganisationType.MUNICIPALITY, "GM1676"),
    (ZEELAND, "Gemeente Hulst", OrganisationType.MUNICIPALITY, "GM0677"),
    (ZEELAND, "Gemeente Noord-Beveland", OrganisationType.MUNICIPALITY, "GM1695"),
    (ZEELAND, "Politie Zeeland-West-Brabant", OrganisationType.POLICE, None),
    (ZEELAND, "Nederlandse Arbeidsinspectie", OrganisationType.LABOUR_INSPECTORATE, None),
    (ZEELAND, "Veilig Thuis Zeeland", OrganisationType.VEILIG_THUIS, None),
    (ZEELAND, "GGD Zeeland", OrganisationType.GGD, None),
    (ZEELAND, "Leger des Heils", OrganisationType.SHELTER, None),
    (ZEELAND, "Intervence", OrganisationType.SHELTER, None),
    (ZEELAND, "Emergis Beschermd Wonen", OrganisationType.SHELTER, None),
    (ZEELAND, "Scharlaken Koord", OrganisationType.CARE, None),
    (ZEELAND, "MEE Zeeland", OrganisationType.CARE, None),
    (ZEELAND, "Centrum tegen Kinderhandel en Mensenhandel (CKM)", OrganisationType.NGO, None),
    (ZEELAND, "Centrum Seksueel Geweld Zeeland", OrganisationType.CSG, None),
    (ZEELAND, "Openbaar Ministerie Zeeland-West-Brabant", OrganisationType.OM, None),
    (ZEELAND, "IND", OrganisationType.IND, None),
    (ZEELAND, "Koninklijke Marechaussee", OrganisationType.KMAR, None),
    (ZEELAND, "CoMensha", OrganisationType.COMENSHA, None),
    (ZEELAND, "Programma aanpak mensenhandel Zeeland", OrganisationType.OTHER, None),
    (IJSSELLAND, "Zorgcoördinatie mensenhandel IJsselland", OrganisationType.CARE, None),
    (IJSSELLAND, "Gemeente Zwolle", OrganisationType.MUNICIPALITY, "GM0193"),
    (IJSSELLAND, "Gemeente Deventer", OrganisationType.MUNICIPALITY, "GM0150"),
    (IJSSELLAND, "Politie Oost-Nederland", OrganisationType.POLICE, None),
    (IJSSELLAND, "Veilig Thuis IJsselland", OrganisationType.VEILIG_THUIS, None),
    (IJSSELLAND, "Leger des Heils IJsselland", OrganisationType.SHELTER, None),
    (IJSSELLAND, "Frion", OrganisationType.SHELTER, None),
    (IJSSELLAND, "Programma aanpak mensenhandel IJsselland", OrganisationType.OTHER, None),
)

# (username, first name, [(region, organisation, role), ...])
DEMO_USERS: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "zorgcoordinator.zeeland",
        "Zeeuwse zorgcoördinator",
        ((ZEELAND, "Zorgcoördinatie mensenhandel Zeeland", Role.ZORGCOORDINATOR),),
    ),
    (
        "zorgcoordinator.ijsselland",
        "IJssellandse zorgcoördinator",
        ((IJSSELLAND, "Zorgcoördinatie mensenhandel IJsselland", Role.ZORGCOORDINATOR),),
    ),
    (
        "aandachtsfunctionaris.goes",
        "Aandachtsfunctionaris Goes",
        ((ZEELAND, "Gemeente Goes", Role.AANDACHTSFUNCTIONARIS),),
    ),
    (
        "aandachtsfunctionaris.vlissingen",
        "Aandachtsfunctionaris Vlissingen",
        ((ZEELAND, "Gemeente Vlissingen", Role.AANDACHTSFUNCTIONARIS),),
    ),
    (
        "aandachtsfunctionaris.zwolle",
        "Aandachtsfunctionaris Zwolle",
        ((IJSSELLAND, "Gemeente Zwolle", Role.AANDACHTSFUNCTIONARIS),),
    ),
    (
        "politie.zeeland",
        "Rechercheur mensenhandel",
        ((ZEELAND, "Politie Zeeland-West-Brabant", Role.KETENPARTNER),),
    ),
    (
        "politie.ijsselland",
        "Rechercheur mensenhandel",
        ((IJSSELLAND, "Politie Oost-Nederland", Role.KETENPARTNER),),
    ),
    (
        "arbeidsinspectie.zeeland",
        "Inspecteur",
        ((ZEELAND, "Nederlandse Arbeidsinspectie", Role.KETENPARTNER),),
    ),
    (
        "veiligthuis.zeeland",
        "Medewerker Veilig Thuis",
        ((ZEELAND, "Veilig Thuis Zeeland", Role.KETENPARTNER),),
    ),
    (
        "opvang.zeeland",
        "Medewerker opvang",
        ((ZEELAND, "Leger des Heils", Role.KETENPARTNER),),
    ),
    (
        "opvang.intervence",
        "Medewerker opvang",
        ((ZEELAND, "Intervence", Role.KETENPARTNER),),
    ),
    (
        "opvang.emergis",
        "Medewerker beschermd wonen",
        ((ZEELAND, "Emergis Beschermd Wonen", Role.KETENPARTNER),),
    ),
    (
        "opvang.ijsselland",
        "Medewerker opvang",
        ((IJSSELLAND, "Leger des Heils IJsselland", Role.KETENPARTNER),),
    ),
    (
        "opvang.frion",
        "Medewerker opvang",
        ((IJSSELLAND, "Frion", Role.KETENPARTNER),),
    ),
    (
        "ketenregisseur.zeeland",
        "Kwartiermaker Zeeland",
        ((ZEELAND, "Programma aanpak mensenhandel Zeeland", Role.KETENREGISSEUR),),
    ),
    (
        "ketenregisseur.ijsselland",
        "Ketenregisseur IJsselland",
        ((IJSSELLAND, "Programma aanpak mensenhandel IJsselland", Role.KETENREGISSEUR),),
    ),
    ("bestuurder.goes", "Wethouder", ((ZEELAND, "Gemeente Goes", Role.BESTUURDER),)),
    (
        "onderzoeker.zeeland",
        "Onderzoeker",
        ((ZEELAND, "Programma aanpak mensenhandel Zeeland", Role.ONDERZOEKER),),
    ),
    (
        "beheerder",
        "Functioneel beheerder",
        (
            (ZEELAND, "Programma aanpak mensenhandel Zeeland", Role.BEHEERDER),
            (IJSSELLAND, "Programma aanpak mensenhandel IJsselland", Role.BEHEERDER),
        ),
    ),
    (
        "beheerder.ijsselland",
        "Beheerder IJsselland",
        ((IJSSELLAND, "Programma aanpak mensenhandel IJsselland", Role.BEHEERDER),),
    ),
    (
        "fg",
        "Functionaris gegevensbescherming",
        (
            (ZEELAND, "Programma aanpak mensenhandel Zeeland", Role.FG),
            (IJSSELLAND, "Programma aanpak mensenhandel IJsselland", Role.FG),
        ),
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    roles: str
    totp_secret: str


@dataclass(frozen=True)
class DemoResult:
    password: str
    logins: list[DemoLogin]


def demo_is_loaded() -> bool:
    return Organisation.objects.exists() or User.objects.exists()


def _demo_password() -> str:
    """One random password for every demo account, drawn again in the rare case that the
    password validators refuse it for one of them (a chance likeness to a first name made
    `inbeeld demo`, and so the quick start, fail)."""
    while True:
        password = f"demo-{secrets.token_urlsafe(9)}"
        try:
            for username, first_name, _memberships in DEMO_USERS:
                validate_password(password, User(username=username, first_name=first_name))
        except ValidationError:
            continue
        return password


@transaction.atomic
def demo_create(*, history: bool = True) -> DemoResult:
    """Fill an empty database with the demo; all or nothing. ``history``: also the invented
    years of signals and cases behind the dashboards (tests of the hand-made stories leave
    them out to count those alone)."""
    organisations = _create_organisations()
    password = _demo_password()
    logins = []
    users: dict[str, User] = {}
    for username, first_name, memberships in DEMO_USERS:
        home_region, home_name, _role = memberships[0]
        user, _ = user_create(
            username=username,
            first_name=first_name,
            password=password,
            organisation=organisations[(home_region, home_name)],
        )
        users[username] = user
        for region_code, organisation_name, role in memberships:
            membership_add(
                user=user, organisation=organisations[(region_code, organisation_name)], role=role
            )
        device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
        roles = ", ".join(sorted({str(Role(role).label) for _r, _o, role in memberships}))
        logins.append(DemoLogin(username, roles, totp_secret_base32(device)))
    # The network before the signals: their assignments are shares on the covenant basis.
    demo_network_create(organisations, users)
    demo_signals_create()  # invented signals, among them the FG's demo data subject
    demo_cases_create()  # six invented cases of the zorgcoördinator of Zeeland
    demo_referrals_create()  # a referral to the shelter waiting, one accepted, a service
    demo_tasks_create()  # follow-ups on those signals, one overdue
    demo_careplans_create()  # care plans of those cases at different stages, one overdue
    demo_casetable_create()  # three meetings of Zeeland's case table, one action overdue
    demo_residence_create()  # residence tracks: a reflection period ending, a renewal due
    demo_registrations_create()  # CoMensha registrations: a draft, sent, acknowledged, corrected
    demo_shelter_create()  # five shelters' places in Zeeland and IJsselland, some full, one stale
    demo_placements_create()  # requests waiting (one asked of IJsselland), a stay ended, one over
    demo_network_activities_create()  # a year of Zeeland's trainings and meetings (seed 003)
    if history:
        demo_figures_create()  # seven years of invented signals and cases for the dashboards
    return DemoResult(password=password, logins=logins)


def _create_organisations() -> dict[tuple[str, str], Organisation]:
    regions = {r.code: r for r in Region.objects.filter(code__in=[ZEELAND, IJSSELLAND])}
    created = {}
    for region_code, name, kind, municipality_code in DEMO_ORGANISATIONS:
        municipality = (
            Municipality.objects.get(code=municipality_code) if municipality_code else None
        )
        organisation = Organisation(
            name=name, type=kind, region=regions[region_code], municipality=municipality
        )
        organisation.full_clean()
        organisation.save()
        created[(region_code, name)] = organisation
    return created


def demo_current_code(username: str) -> str | None:
    """The current TOTP code of a demo account (what its authenticator app would show)."""
    device = TOTPDevice.objects.filter(
        user__username=username, name=DEMO_DEVICE_NAME, confirmed=True
    ).first()
    if device is None:
        return None
    return totp_current_code(device)


def inbeeld_command() -> str:
    """How a person in this shell runs InBeeld's command: ``inbeeld`` when it is on the PATH,
    else its path (``.venv/bin/inbeeld`` after the README's quick start)."""
    here = Path(sys.executable).with_name("inbeeld")
    found = shutil.which("inbeeld")
    if found and Path(found).resolve() == here.resolve():
        return "inbeeld"
    try:
        return str(here.relative_to(Path.cwd()))
    except ValueError:
        return str(here)


def demo_logins_text(result: DemoResult) -> str:
    command = inbeeld_command()
    lines = [
        "Demo-logins / demo logins",
        f"  wachtwoord / password (alle demo-accounts / all demo accounts): {result.password}",
        "  Tweede factor: voer de sleutel in een authenticator-app in, of vraag de huidige code",
        f"  met `{command} demo --code GEBRUIKERSNAAM`. / Second factor: enter the key in an",
        f"  authenticator app, or get the current code with `{command} demo --code USERNAME`.",
        "",
        f"  {'gebruiker / user':34} {'TOTP-sleutel / key':34} rol / role",
    ]
    for login in result.logins:
        lines.append(f"  {login.username:34} {login.totp_secret:34} {login.roles}")
    lines += ["", *demo_person_lines()]
    return "\n".join(lines) + "\n"


def demo_logins_save(text: str, data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "demo-logins.txt"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
