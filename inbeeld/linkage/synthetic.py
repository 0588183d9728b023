"""Seeded factories of fake Dutch-looking persons and of corrupted copies of them.

Used by the tests and the benchmark. No real personal data: names, streets and places are
combined at random from short lists, dates and numbers are drawn from a seeded generator.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GIVEN_NAMES = _words(
    """
jan pieter kees henk willem johannes cornelis hendrik gerrit klaas dirk bram daan sem
lucas milan levi finn noah luuk jesse thijs ruben stijn niels bas tim joost maarten
sander rik wouter jeroen mohamed youssef ahmed mehmet mustafa ali omar hamza ibrahim
ivan dmitri sergei oleksandr andrzej piotr tomasz marius florin ionut emma julia sophie
anna sara lotte eva lisa fleur iris noor tess zoe mila nina roos femke sanne anouk
marieke ingrid annelies wilhelmina geertje fatima aisha khadija zeynep elif nadia olga
natalia irina oksana agnieszka katarzyna maria ana elena ioana chidinma blessing grace
esther joy precious mary jozef ángel zoë chloé renée françoise jürgen søren
"""
)
SURNAMES = _words(
    """
jansen de_jong de_vries van_den_berg van_dijk bakker janssen visser smit meijer de_boer
mulder de_groot bos vos peters hendriks van_leeuwen dekker brouwer de_wit dijkstra smits
de_graaf van_der_meer van_der_linden kok jacobs de_haan vermeulen van_den_heuvel
van_der_veen van_den_broek de_bruijn de_bruin van_der_heijden schouten van_beek willems
van_vliet van_de_ven hoekstra maas verhoeven koster van_dam van_der_wal prins blom
huisman peeters kuipers van_veen post kuiper veenstra kramer van_den_brink scholten
van_wijk postma martens vink de_ruiter timmermans groen gerritsen jonker van_loon boer
van_der_velde willemsen smeets in_'t_veld ter_horst ten_cate van_'t_hof el_amrani
el_idrissi benali bouzid yilmaz kaya demir sahin celik öztürk kowalski nowak wiśniewski
popescu ionescu ivanov petrov kovalenko shevchenko okafor adeyemi mensah nguyen tran
müller schröder dubois garcía rodríguez
"""
)
STREETS = _words(
    """
kerkstraat schoolstraat molenweg dorpsstraat stationsweg julianastraat beatrixlaan
wilhelminastraat kastanjelaan eikenlaan lindelaan nieuwstraat marktplein havenweg
industrieweg parallelweg vondelstraat rembrandtlaan prins_hendrikkade oranjestraat
van_goghstraat burgemeester_de_withstraat sportlaan zuiderweg noorderhaven
"""
)
PLACES = (
    ("zwolle", 8011), ("kampen", 8261), ("deventer", 7411), ("middelburg", 4331),
    ("vlissingen", 4381), ("goes", 4461), ("terneuzen", 4531), ("almere", 1311),
    ("lelystad", 8211), ("amsterdam", 1011), ("rotterdam", 3011), ("den haag", 2511),
    ("utrecht", 3511), ("'s-hertogenbosch", 5211), ("eindhoven", 5611), ("groningen", 9711),
)  # fmt: skip


def _spaced(value: str) -> str:
    return value.replace("_", " ")


def _title(value: str) -> str:
    words = _spaced(value).split(" ")
    particles = {"van", "de", "den", "der", "in", "'t", "ter", "ten", "el"}
    return " ".join(word if word in particles else word[:1].upper() + word[1:] for word in words)


@dataclass(frozen=True)
class Person:
    given_name: str
    surname: str
    date_of_birth: str  # ISO
    gender: str
    street: str
    house_number: str
    postcode: str
    place: str
    phone: str


def make_people(count: int, seed: int) -> list[Person]:
    rng = random.Random(seed)  # noqa: S311 - fake test data, not a secret
    people = []
    for _ in range(count):
        surname = _title(rng.choice(SURNAMES))
        if rng.random() < 0.08:  # double surname after marriage
            surname = f"{surname}-{_title(rng.choice(SURNAMES))}"
        place, postcode_base = rng.choice(PLACES)
        letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
        postcode = f"{postcode_base + rng.randrange(0, 80)} {letters}"
        birth = f"{rng.randint(1950, 2009)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        people.append(
            Person(
                given_name=_title(rng.choice(GIVEN_NAMES)),
                surname=surname,
                date_of_birth=birth,
                gender=rng.choice("MV"),
                street=_title(rng.choice(STREETS)),
                house_number=str(rng.randint(1, 250))
                + (rng.choice("abc") if rng.random() < 0.1 else ""),
                postcode=postcode,
                place=_title(place),
                phone="06" + "".join(rng.choice("0123456789") for _ in range(8)),
            )
        )
    return people


FIELDS = (
    "given_name",
    "surname",
    "date_of_birth",
    "gender",
    "street",
    "house_number",
    "postcode",
    "place",
    "phone",
)


def _typo(value: str, rng: random.Random) -> str:
    if len(value) < 2:
        return value
    position = rng.randrange(len(value) - 1)
    kind = rng.randrange(4)
    letter = rng.choice("abcdefghijklmnoprstuvwz")
    if kind == 0:
        return value[:position] + letter + value[position + 1 :]
    if kind == 1:
        return value[:position] + value[position + 1 :]
    if kind == 2:
        return value[:position] + letter + value[position:]
    return value[:position] + value[position + 1] + value[position] + value[position + 2 :]


def _date_format(iso: str, rng: random.Random) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    layouts = (f"{year}-{month}-{day}", f"{day}-{month}-{year}", f"{day}/{month}/{year}")
    return rng.choice((*layouts, f"{year}{month}{day}"))


def _phone_format(phone: str, rng: random.Random) -> str:
    if not phone.startswith("06"):
        return phone
    return rng.choice((phone, "+31 6 " + phone[2:], "0031" + phone[1:], "06-" + phone[2:]))


def _date_typo(text: str, rng: random.Random) -> str:
    digits = list(text)
    spots = [i for i, char in enumerate(digits) if char.isdigit()]
    if spots:
        digits[rng.choice(spots)] = rng.choice("0123456789")
    return "".join(digits)


def _corrupt(row: dict[str, str], rng: random.Random) -> None:
    kind = rng.randrange(10)
    if kind <= 5:
        field = rng.choice(("given_name", "surname", "street", "place", "given_name", "surname"))
        row[field] = _typo(row[field], rng)
    elif kind <= 7:
        row[rng.choice(("phone", "street", "house_number", "postcode", "gender", "place"))] = ""
    elif kind == 8:
        row["given_name"], row["surname"] = row["surname"], row["given_name"]
    else:
        row["date_of_birth"] = _date_typo(row["date_of_birth"], rng)


def render(person: Person, rng: random.Random, *, errors: float) -> dict[str, str]:
    """One partner's record of ``person``: other formats, and with probability ``errors``
    a corruption (typo, blank field, swapped name order, date typo) — repeatedly, so a
    record can carry several."""
    row = {field: getattr(person, field) for field in FIELDS}
    row["date_of_birth"] = _date_format(person.date_of_birth, rng)
    if rng.random() < 0.5:
        row["postcode"] = row["postcode"].replace(" ", "").lower()
    row["phone"] = _phone_format(row["phone"], rng)
    if rng.random() < 0.3:
        row["surname"] = row["surname"].upper()
    while rng.random() < errors:
        _corrupt(row, rng)
    return row


@dataclass(frozen=True)
class SyntheticList:
    name: str
    rows: list[dict[str, str]]  # with an "id" column
    person_of: dict[str, int]  # record id → index of the true person


def make_lists(
    people: Sequence[Person], coverage: Sequence[float], *, seed: int, errors: float = 0.4
) -> list[SyntheticList]:
    """Lists that each hold a random share ``coverage[i]`` of ``people``, shuffled."""
    rng = random.Random(seed)  # noqa: S311 - fake test data, not a secret
    lists = []
    for number, share in enumerate(coverage):
        chosen = [index for index in range(len(people)) if rng.random() < share]
        rng.shuffle(chosen)
        name = f"list{number + 1}"
        rows, person_of = [], {}
        for position, index in enumerate(chosen):
            record_id = f"{name}-{position + 1}"
            rows.append({"id": record_id, **render(people[index], rng, errors=errors)})
            person_of[record_id] = index
        lists.append(SyntheticList(name, rows, person_of))
    return lists
