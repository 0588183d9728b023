"""Normalisation of Dutch and international person data before encoding.

Every partner runs the same normalisation, so that "Jansen-de Vries", "JANSEN - DE VRIES"
and "Jansen de Vries" end up as the same string before they are hashed. Decisions where
sources differ (see docs/linkage.md, "Normalisation"):

- Diacritics are removed (ü→u, é→e, ç→c) and a few letters that Unicode does not
  decompose are spelled out (ß→ss, æ→ae, ø→o, ł→l, ĳ→ij). German "ue" spellings of ü
  are left alone: the q-gram similarity of "muller"/"mueller" is high enough, while
  rewriting "ue" would damage Dutch names.
- Cyrillic and Greek are transliterated with the ICAO Doc 9303 tables, because the Latin
  spelling in a passport's machine-readable zone — which Dutch registers copy — uses them.
- Arabic script is not transliterated: it does not write short vowels, so every
  romanisation yields a consonant skeleton that does not match the Latin spelling another
  partner took from an identity document ("Mohammed" vs "Muhammad"). Such names are kept
  in folded Unicode and only match the same script; partners should record the Latin
  spelling from the document.
- Name particles (van, de, van der, in 't, …) are removed from the surname, because
  registers disagree on whether they belong to the surname field or to a separate
  "tussenvoegsel" field, and on where they go in sorted forms ("Vries, de").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

# ICAO Doc 9303 part 3, transliteration of Cyrillic (Russian, Ukrainian, Belarusian,
# Bulgarian, Serbian, Macedonian letters) and Greek; lower case, applied after casefold.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ђ": "d", "ѓ": "g",
    "е": "e", "ё": "e", "є": "ie", "ж": "zh", "з": "z", "ѕ": "dz", "и": "i", "і": "i",
    "ї": "i", "й": "i", "ј": "j", "к": "k", "ќ": "k", "л": "l", "љ": "lj", "м": "m",
    "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c",
    "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "џ": "dz", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}  # fmt: skip
# Latin letters that NFKD does not split into base letter + combining mark.
_LATIN_SPECIAL = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ı": "i", "ĳ": "ij", "ŀ": "l",
}  # fmt: skip
_APOSTROPHES = "'’‘`´ʼ"

# Particles in Dutch, Flemish, German, French, Spanish, Portuguese, Italian surnames.
_PARTICLE_WORDS = """
van von vom de der den des het 't 's ter ten te in op aan uit bij onder over voor zu zum
zur du la le les d' l' da di del della dello dos das do el al y e
"""
NAME_PARTICLES = frozenset(_PARTICLE_WORDS.split())

_NON_WORD = re.compile(r"[^0-9a-z\u0600-\u06ff' -]+")
_SPACES = re.compile(r"\s+")


def _transliterate_char(char: str) -> str:
    for table in (_CYRILLIC, _GREEK, _LATIN_SPECIAL):
        if char in table:
            return table[char]
    return char


_ASCII_KEPT = re.compile(r"[^0-9a-z' -]+")


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case ASCII-ish text: transliterated, without diacritics or punctuation."""
    if text.isascii():  # the common case needs no Unicode work
        kept = _ASCII_KEPT.sub(" ", text.lower().replace("`", "'"))
        return " ".join(kept.split())
    # Diacritics go first, so that й, ё and accented Greek vowels find their base letter.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("ου", "ou")  # ICAO 9303: the Greek digraph is one sound
    spelled = "".join(_transliterate_char(char) for char in stripped)
    for apostrophe in _APOSTROPHES:
        spelled = spelled.replace(apostrophe, "'")
    cleaned = _NON_WORD.sub(" ", spelled)
    return _SPACES.sub(" ", cleaned).strip()


def _drop_particles(words: list[str]) -> list[str]:
    kept = [word for word in words if word.strip("'") and word not in NAME_PARTICLES]
    # A surname that consists only of particles ("Van", "De") is a surname.
    return kept or words


@functools.lru_cache(maxsize=1 << 16)
def normalise_surname(text: str) -> str:
    """Surname without particles; parts of a double surname joined by one space.

    "Jansen-de Vries" → "jansen vries", "in 't Veld" → "veld", "Vries, de" → "vries".
    """
    folded = fold(text.replace(",", " "))
    words: list[str] = []
    for part in folded.split("-"):
        words.extend(_drop_particles(part.split()))
    return " ".join(words)


@functools.lru_cache(maxsize=1 << 16)
def normalise_given_name(text: str) -> str:
    """Given names folded; initials "J.W." become "j w"."""
    return " ".join(fold(text.replace(".", " ").replace("-", " ")).split())


_DATE_LAYOUTS = (
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{2})(\d{2})(\d{4})$"), ("d", "m", "y")),
)


_UNKNOWN_DATES = frozenset(
    ("", "-", "?", "onbekend", "unknown", "nb", "n.b.", "00-00-0000", "0000-00-00")
)


class NormalisationError(ValueError):
    """A value that cannot be read as the field it is said to be."""


@functools.lru_cache(maxsize=1 << 16)
def normalise_date(text: str) -> str:
    """A date as "YYYYMMDD"; blank stays blank.

    Accepted: YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY, YYYYMMDD, DDMMYYYY (eight
    digits are read as YYYYMMDD when they start with 18, 19 or 20). Impossible dates such
    as 31-02-1990 or 1945-04-93 are kept as written: a typo in a source is still evidence,
    and the other digits still count. "onbekend", "unknown", "-" and "?" become blank.
    A time part ("1990-02-03T00:00" or "1990-02-03 00:00:00") is ignored.
    """
    value = text.strip().split("T")[0].split(" ")[0]
    common = _common_date_layout(value)
    if common:
        return common
    if value.lower() in _UNKNOWN_DATES:
        return ""
    layouts: tuple[tuple[re.Pattern[str], tuple[str, str, str]], ...] = _DATE_LAYOUTS
    if len(value) == 8 and value.isdigit() and value[:2] not in ("18", "19", "20"):
        layouts = _DATE_LAYOUTS[3:]
    for pattern, order in layouts:
        match = pattern.match(value)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        return f"{parts['y']}{int(parts['m']):02d}{int(parts['d']):02d}"
    raise NormalisationError(
        f"not a date: {text!r} (use YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or YYYYMMDD)"
    )


def _common_date_layout(value: str) -> str:
    """YYYY-MM-DD, DD-MM-YYYY (any of - / .) and YYYYMMDD without regular expressions.

    Dates are nearly unique, so the cache rarely helps; this path is several times
    faster than the general one and gives the same answer.
    """
    if not value.isascii():
        return ""
    if len(value) == 8 and value.isdigit() and value[:2] in ("18", "19", "20"):
        return value
    if len(value) != 10:
        return ""
    if value[4] in "-/." and value[7] == value[4]:
        year, month, day = value[:4], value[5:7], value[8:]
    elif value[2] in "-/." and value[5] == value[2]:
        day, month, year = value[:2], value[3:5], value[6:]
    else:
        return ""
    if year.isdigit() and month.isdigit() and day.isdigit():
        return year + month + day
    return ""


_NON_DIGITS = re.compile(r"\D")
_DUTCH_POSTCODE = re.compile(r"^([1-9]\d{3})\s*([a-z]{2})$")


@functools.lru_cache(maxsize=1 << 16)
def normalise_postcode(text: str) -> str:
    """Dutch postcodes as "1234AB"; other postcodes upper case without spaces."""
    compact = text.replace(" ", "")
    is_dutch = len(compact) == 6 and compact.isascii() and compact[0] != "0"
    if is_dutch and compact[:4].isdigit() and compact[4:].isalpha():
        return compact.upper()  # the common case, without the Unicode work of fold()
    folded = fold(text)
    match = _DUTCH_POSTCODE.match(folded)
    if match:
        return (match.group(1) + match.group(2)).upper()
    return folded.replace(" ", "").replace("-", "").upper()


def normalise_phone(text: str) -> str:
    """Phone numbers in E.164 form: "06-12345678", "0031 6 1234 5678" → "+31612345678".

    A number that starts with a single 0 is taken to be Dutch.
    """
    value = text.strip()
    if not value:
        return ""
    digits = _NON_DIGITS.sub("", value)
    if not digits:
        raise NormalisationError(f"not a phone number: {text!r}")
    if value.startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif digits.startswith("0"):
        international = "31" + digits[1:]
    else:
        international = digits
    if international.startswith("310"):  # "+31 (0)6 ..." written with the trunk zero
        international = "31" + international[3:]
    return "+" + international


_GENDERS = {
    "m": "m", "man": "m", "male": "m", "mannelijk": "m", "jongen": "m",
    "v": "f", "f": "f", "vrouw": "f", "female": "f", "vrouwelijk": "f", "meisje": "f",
    "x": "x", "o": "x", "other": "x", "anders": "x", "overig": "x",
}  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)
def normalise_gender(text: str) -> str:
    """ "m", "f" or "x"; unknown values and blanks become blank."""
    return _GENDERS.get(fold(text), "")


_STREET_ABBREVIATIONS = {"str": "straat", "ln": "laan", "pln": "plein", "st": "street"}


@functools.lru_cache(maxsize=1 << 16)
def normalise_street(text: str) -> str:
    """Street name folded, with a few abbreviations spelled out."""
    words = fold(text.replace(".", " ")).split()
    return " ".join(_STREET_ABBREVIATIONS.get(word, word) for word in words)


@functools.lru_cache(maxsize=1 << 16)
def normalise_house_number(text: str) -> str:
    """House number with its addition: "12 a", "12-A" → "12a"."""
    return fold(text).replace(" ", "").replace("-", "")


@functools.lru_cache(maxsize=1 << 16)
def normalise_place(text: str) -> str:
    """Place name folded; "'s-Hertogenbosch" → "s hertogenbosch"."""
    return " ".join(fold(text.replace("-", " ")).replace("'", " ").split())


NORMALISERS: dict[str, Callable[[str], str]] = {
    "given_name": normalise_given_name,
    "surname": normalise_surname,
    "date_of_birth": normalise_date,
    "gender": normalise_gender,
    "street": normalise_street,
    "house_number": normalise_house_number,
    "postcode": normalise_postcode,
    "place": normalise_place,
    "phone": normalise_phone,
}
CANONICAL_FIELDS = tuple(NORMALISERS)


@functools.lru_cache(maxsize=1 << 16)
def soundex(text: str) -> str:
    """American Soundex of the first word-joined name; used only inside keyed blocking values."""
    letters = [c for c in text if "a" <= c <= "z"]
    if not letters:
        return ""
    codes = {
        **dict.fromkeys("bfpv", "1"), **dict.fromkeys("cgjkqsxz", "2"),
        **dict.fromkeys("dt", "3"), "l": "4", **dict.fromkeys("mn", "5"), "r": "6",
    }  # fmt: skip
    result = letters[0]
    previous = codes.get(letters[0], "")
    for char in letters[1:]:
        code = codes.get(char, "")
        if code and code != previous:
            result += code
        if char not in "hw":
            previous = code
    return (result + "000")[:4]
