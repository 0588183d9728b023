"""Nationality as an ISO 3166-1 alpha-2 code, named in the reader's language.

Every count by nationality (CoMensha registration, HTCDS, dashboards) needs codes, so a
signal stores a code (blank: unknown), never free text. The codes and their Dutch and English
names come from django-countries, which follows ISO 3166-1 and is translated into Dutch.

Before codes, nationality was free text. ``nationality_read`` turns such text into a code
where the text names one country without doubt: a country's Dutch or English name, a common
nationality word, or a code typed as a code. The data migration of the existing signals
(``signals/migrations/0007_nationality_to_codes.py``) holds a frozen copy of this reading, so
that improving the words here later never changes what that migration does.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import NamedTuple

from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from django_countries import countries

UNKNOWN_LABEL = _("Unknown")

# Nationality words seen in Dutch trafficking work, folded (see ``fold``): Dutch adjectives
# in both forms, the word for a person, and the English adjective. Words that also name a
# language spoken in several countries (Russisch, Arabisch, Engels, Frans, Spaans,
# Portugees, Duits, Servisch, Somalisch, ...) are left out on purpose: the old meldpunt
# asked for "nationality or language", so such a word may name a language, not a country.
NATIONALITY_WORDS: dict[str, tuple[str, ...]] = {
    "NL": ("nederlands", "nederlandse", "nederlander", "dutch", "holland", "hollands", "hollandse"),
    "RO": ("roemeens", "roemeense", "roemeen", "romanian"),
    "BG": ("bulgaars", "bulgaarse", "bulgaar", "bulgarian"),
    "PL": ("pools", "poolse", "polish"),
    "HU": ("hongaars", "hongaarse", "hongaar", "hungarian"),
    "NG": ("nigeriaans", "nigeriaanse", "nigeriaan", "nigerian"),
    "ER": ("eritrees", "eritrese", "eritreeer", "eritrean"),
    "UA": ("oekraiens", "oekraiense", "oekraiener", "ukrainian"),
    "MA": ("marokkaans", "marokkaanse", "marokkaan", "moroccan"),
    "TR": ("turks", "turkse", "turk", "turkish", "turkey"),
    "CN": ("chinees", "chinese"),
    "VN": ("vietnamees", "vietnamese"),
    "BR": ("braziliaans", "braziliaanse", "braziliaan", "brazilian"),
    "SY": ("syrisch", "syrische", "syrier", "syrian"),
    "SR": ("surinaams", "surinaamse", "surinamer", "surinamese"),
    "PH": ("filipijns", "filipijnse", "filipijn", "filipino", "filipina", "philippine"),
    "IN": ("indiaas", "indiase", "indier", "indian"),
    "SK": ("slowaaks", "slowaakse", "slowaak", "slovak", "slovakian"),
    "LT": ("litouws", "litouwse", "litouwer", "lithuanian"),
    "LV": ("lets", "letse", "let", "latvian"),
    "MD": ("moldavisch", "moldavische", "moldavier", "moldovan"),
    "AL": ("albanees", "albanese", "albanier", "albanian"),
    "SL": ("sierra leoons", "sierra leoonse", "sierra leoner", "sierra leonean"),
    "GH": ("ghanees", "ghanese", "ghanaian"),
    "GN": ("guinees", "guinese", "guineeer", "guinean"),
    "UG": ("oegandees", "oegandese", "ugandan"),
    "TH": ("thais", "thaise", "thai"),
    "BE": ("belgisch", "belgische", "belg", "belgian"),
    "GB": ("brits", "britse", "brit", "british", "uk", "engeland", "england", "groot brittannie"),
    "US": ("amerikaans", "amerikaanse", "american", "usa", "vs", "amerika", "verenigde staten"),
    "CZ": ("tsjechisch", "tsjechische", "tsjech", "czech", "czech republic"),
    "AF": ("afghaans", "afghaanse", "afghan"),
    "IQ": ("iraaks", "iraakse", "irakees", "iraqi"),
    "IR": ("iraans", "iraanse", "iranier", "iranian"),
    "ET": ("ethiopisch", "ethiopische", "ethiopier", "ethiopian"),
    "EG": ("egyptisch", "egyptische", "egyptenaar", "egyptian"),
    "PK": ("pakistaans", "pakistaanse", "pakistaan", "pakistani"),
    "ID": ("indonesisch", "indonesische", "indonesier", "indonesian"),
    "CO": ("colombiaans", "colombiaanse", "colombiaan", "colombian"),
    "VE": ("venezolaans", "venezolaanse", "venezolaan", "venezuelan"),
    "CM": ("kameroens", "kameroense", "kameroener", "cameroonian"),
    "LK": ("sri lankaans", "sri lankaanse", "sri lankaan", "sri lankan"),
    "MK": ("macedonie", "macedonia"),
    "CI": ("ivory coast",),
}

# Text that may name more than one thing: "Congo" is both CG and CD in daily use, and "NA"
# is Namibia's code but is mostly typed for "not available". Kept as text, code blank.
AMBIGUOUS = frozenset({"congo", "na"})

# Text that says nothing: the code stays blank and nothing is worth keeping.
UNKNOWN_WORDS = frozenset(
    {"", "onbekend", "niet bekend", "unknown", "weet niet", "geen idee", "nvt", "n v t", "n a"}
)

# Words around the nationality that carry no meaning of their own ("Roemeense nationaliteit").
FILLER_WORDS = frozenset({"nationaliteit", "nationality"})


class NationalityReading(NamedTuple):
    """What old free text says: a code, and the text itself when it named no single country."""

    code: str  # ISO 3166-1 alpha-2, "" when unknown
    unmapped: str  # the original text when it could not be read as a code, else ""


def fold(text: str) -> str:
    """Lower case without accents; hyphens, punctuation and runs of spaces as one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    words = "".join(char if char.isalnum() else " " for char in plain).split()
    return " ".join(word for word in words if word not in FILLER_WORDS)


def is_nationality_code(value: str) -> bool:
    """Whether ``value`` is an ISO 3166-1 alpha-2 code (upper case, as stored)."""
    return len(value) == 2 and value in countries


def nationality_name(code: str) -> str:
    """The country's name in the active language, "" for a blank or unknown code."""
    return str(countries.name(code)) if is_nationality_code(code) else ""


def nationality_choices() -> list[tuple[str, str]]:
    """The choice "Unknown" first, then every country by its name in the active language.

    Sorted as a reader looks for a name: accents and case do not count, so a Dutch page lists
    Ierland, IJsland, India (django-countries without pyuca would put IJsland first).
    """
    return [("", str(UNKNOWN_LABEL)), *_sorted_countries(get_language() or "nl")]


@cache
def _sorted_countries(language: str) -> tuple[tuple[str, str], ...]:
    with override(language):
        named = [(country.code, str(country.name)) for country in countries]
    return tuple(sorted(named, key=lambda item: (fold(item[1]), item[0])))


@cache
def words_to_codes() -> dict[str, str]:
    """Every folded word or name that names one country, with its code."""
    table: dict[str, str] = {}
    for language in ("nl", "en"):
        with override(language):
            for country in countries:
                table[fold(str(country.name))] = country.code
    for name in AMBIGUOUS:
        table.pop(name, None)
    for code, words in NATIONALITY_WORDS.items():
        for word in words:
            if table.get(word, code) != code:
                raise ValueError(f"{word!r} would name both {table[word]} and {code}")
            table[word] = code
    return table


def nationality_read(text: str) -> NationalityReading:
    """Read free text as a code; keep the text when it names no single country."""
    folded = fold(text)
    if folded in UNKNOWN_WORDS:
        return NationalityReading("", "")
    code = words_to_codes().get(folded, "")
    if not code and folded not in AMBIGUOUS and is_nationality_code(folded.upper()):
        code = folded.upper()
    return NationalityReading(code, "" if code else text.strip())
