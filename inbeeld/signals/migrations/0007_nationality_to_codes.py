"""Nationality as free text becomes an ISO 3166-1 alpha-2 code; reversible.

Text that names one country without doubt (its Dutch or English name, a common nationality
word, or a code typed as a code) becomes that code. Other text leaves the code blank and is
kept, encrypted, in ``victim_nationality_text`` so that nothing a person wrote is lost; text
that only says "unknown" leaves both empty. Backwards, the kept text (or else the code)
returns to the free-text column.

The reading below is a frozen copy of ``inbeeld.signals.nationality`` as it was when this
migration was written (django-countries 9.1 names), not an import of it: a migration must do
the same thing whenever it runs, while that module's words and the country names of newer
django-countries versions will change, and the module may one day move. The tests check that
this copy and the module read the same examples alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from django.db import migrations

import inbeeld.privacy.encryption

FILLER_WORDS = frozenset({"nationaliteit", "nationality"})
UNKNOWN_WORDS = frozenset(
    {"", "onbekend", "niet bekend", "unknown", "weet niet", "geen idee", "nvt", "n v t", "n a"}
)
AMBIGUOUS = frozenset({"congo", "na"})

# Every ISO 3166-1 alpha-2 code known to django-countries 9.1.
CODES = frozenset({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
})

# Folded (see ``fold``) names and words, per code: the countries' Dutch and English names and
# the nationality words of inbeeld.signals.nationality.NATIONALITY_WORDS.
WORDS: dict[str, tuple[str, ...]] = {
    "AD": ("andorra",),
    "AE": ("united arab emirates", "verenigde arabische emiraten"),
    "AF": ("afghaans", "afghaanse", "afghan", "afghanistan"),
    "AG": ("antigua and barbuda", "antigua en barbuda"),
    "AI": ("anguilla",),
    "AL": ("albanees", "albanese", "albania", "albanian", "albanie", "albanier"),
    "AM": ("armenia", "armenie"),
    "AO": ("angola",),
    "AQ": ("antarctica",),
    "AR": ("argentina", "argentinie"),
    "AS": ("american samoa", "amerikaans samoa"),
    "AT": ("austria", "oostenrijk"),
    "AU": ("australia", "australie"),
    "AW": ("aruba",),
    "AX": ("aland islands", "alandseilanden"),
    "AZ": ("azerbaijan", "azerbeidzjan"),
    "BA": ("bosnia and herzegovina", "bosnie en herzegovina"),
    "BB": ("barbados",),
    "BD": ("bangladesh",),
    "BE": ("belg", "belgian", "belgie", "belgisch", "belgische", "belgium"),
    "BF": ("burkina faso",),
    "BG": ("bulgaar", "bulgaars", "bulgaarse", "bulgaria", "bulgarian", "bulgarije"),
    "BH": ("bahrain", "bahrein"),
    "BI": ("burundi",),
    "BJ": ("benin",),
    "BL": ("saint barthelemy",),
    "BM": ("bermuda",),
    "BN": ("brunei",),
    "BO": ("bolivia",),
    "BQ": ("bonaire sint eustatius and saba", "bonaire sint eustatius en saba"),
    "BR": ("brazil", "braziliaan", "braziliaans", "braziliaanse", "brazilian", "brazilie"),
    "BS": ("bahama s", "bahamas the"),
    "BT": ("bhutan",),
    "BV": ("bouvet", "bouvet island"),
    "BW": ("botswana",),
    "BY": ("belarus", "wit rusland"),
    "BZ": ("belize",),
    "CA": ("canada",),
    "CC": ("cocos keeling islands", "cocoseilanden"),
    "CD": ("democratic republic of the congo", "democratische republiek congo drc"),
    "CF": ("centraal afrikaanse republiek", "central african republic"),
    "CG": ("congo brazzaville",),
    "CH": ("switzerland", "zwitserland"),
    "CI": ("cote d ivoire", "ivoorkust", "ivory coast"),
    "CK": ("cook islands", "cookeilanden"),
    "CL": ("chile", "chili"),
    "CM": ("cameroon", "cameroonian", "kameroen", "kameroener", "kameroens", "kameroense"),
    "CN": ("china", "chinees", "chinese"),
    "CO": ("colombia", "colombiaan", "colombiaans", "colombiaanse", "colombian"),
    "CR": ("costa rica",),
    "CU": ("cuba",),
    "CV": ("cabo verde", "kaapverdie"),
    "CW": ("curacao",),
    "CX": ("christmas island", "christmaseiland"),
    "CY": ("cyprus",),
    "CZ": (
        "czech", "czech republic", "czechia", "tsjech", "tsjechie", "tsjechisch", "tsjechische",
    ),
    "DE": ("duitsland", "germany"),
    "DJ": ("djibouti",),
    "DK": ("denemarken", "denmark"),
    "DM": ("dominica",),
    "DO": ("dominicaanse republiek", "dominican republic"),
    "DZ": ("algeria", "algerije"),
    "EC": ("ecuador",),
    "EE": ("estland", "estonia"),
    "EG": ("egypt", "egypte", "egyptenaar", "egyptian", "egyptisch", "egyptische"),
    "EH": ("westelijke sahara", "western sahara"),
    "ER": ("eritrea", "eritrean", "eritreeer", "eritrees", "eritrese"),
    "ES": ("spain", "spanje"),
    "ET": ("ethiopia", "ethiopian", "ethiopie", "ethiopier", "ethiopisch", "ethiopische"),
    "FI": ("finland",),
    "FJ": ("fiji",),
    "FK": ("falkland islands malvinas", "falklandeilanden"),
    "FM": ("micronesia", "micronesie"),
    "FO": ("faeroer", "faroe islands"),
    "FR": ("france", "frankrijk"),
    "GA": ("gabon",),
    "GB": (
        "brit", "british", "brits", "britse", "engeland", "england", "groot brittannie", "uk",
        "united kingdom", "verenigd koninkrijk",
    ),
    "GD": ("grenada",),
    "GE": ("georgia", "georgie"),
    "GF": ("frans guyana", "french guiana"),
    "GG": ("guernsey",),
    "GH": ("ghana", "ghanaian", "ghanees", "ghanese"),
    "GI": ("gibraltar",),
    "GL": ("greenland", "groenland"),
    "GM": ("gambia",),
    "GN": ("guinea", "guinean", "guinee", "guineeer", "guinees", "guinese"),
    "GP": ("guadeloupe",),
    "GQ": ("equatoriaal guinea", "equatorial guinea"),
    "GR": ("greece", "griekenland"),
    "GS": ("south georgia", "zuid georgie en de zuidelijke sandwicheilanden"),
    "GT": ("guatemala",),
    "GU": ("guam",),
    "GW": ("guinea bissau", "guinee bissau"),
    "GY": ("guyana",),
    "HK": ("hong kong", "hongkong"),
    "HM": ("heard en mcdonaldeilanden", "heard island and mcdonald islands"),
    "HN": ("honduras",),
    "HR": ("croatia", "kroatie"),
    "HT": ("haiti",),
    "HU": ("hongaar", "hongaars", "hongaarse", "hongarije", "hungarian", "hungary"),
    "ID": ("indonesia", "indonesian", "indonesie", "indonesier", "indonesisch", "indonesische"),
    "IE": ("ierland", "ireland"),
    "IL": ("israel",),
    "IM": ("het eiland man", "isle of man"),
    "IN": ("india", "indiaas", "indian", "indiase", "indier"),
    "IO": ("british indian ocean territory", "brits territorium in de indische oceaan"),
    "IQ": ("iraaks", "iraakse", "irak", "irakees", "iraq", "iraqi"),
    "IR": ("iraans", "iraanse", "iran", "iranian", "iranier"),
    "IS": ("iceland", "ijsland"),
    "IT": ("italie", "italy"),
    "JE": ("jersey",),
    "JM": ("jamaica",),
    "JO": ("jordan", "jordanie"),
    "JP": ("japan",),
    "KE": ("kenia", "kenya"),
    "KG": ("kirgizie", "kyrgyzstan"),
    "KH": ("cambodia", "cambodja"),
    "KI": ("kiribati",),
    "KM": ("comoren", "comoros"),
    "KN": ("saint kitts and nevis", "saint kitts en nevis"),
    "KP": ("noord korea", "north korea"),
    "KR": ("south korea", "zuid korea"),
    "KW": ("koeweit", "kuwait"),
    "KY": ("cayman islands", "caymaneilanden"),
    "KZ": ("kazachstan", "kazakhstan"),
    "LA": ("laos",),
    "LB": ("lebanon", "libanon"),
    "LC": ("saint lucia",),
    "LI": ("liechtenstein",),
    "LK": ("sri lanka", "sri lankaan", "sri lankaans", "sri lankaanse", "sri lankan"),
    "LR": ("liberia",),
    "LS": ("lesotho",),
    "LT": ("lithuania", "lithuanian", "litouwen", "litouwer", "litouws", "litouwse"),
    "LU": ("luxembourg", "luxemburg"),
    "LV": ("latvia", "latvian", "let", "letland", "lets", "letse"),
    "LY": ("libie", "libya"),
    "MA": ("marokkaan", "marokkaans", "marokkaanse", "marokko", "moroccan", "morocco"),
    "MC": ("monaco",),
    "MD": ("moldavie", "moldavier", "moldavisch", "moldavische", "moldova", "moldovan"),
    "ME": ("montenegro",),
    "MF": ("saint martin french part", "sint maarten franse antillen"),
    "MG": ("madagascar", "madagaskar"),
    "MH": ("marshall islands", "marshalleilanden"),
    "MK": ("macedonia", "macedonie", "noord macedonie", "north macedonia"),
    "ML": ("mali",),
    "MM": ("myanmar",),
    "MN": ("mongolia", "mongolie"),
    "MO": ("macao", "macau"),
    "MP": ("noordelijke marianen", "northern mariana islands"),
    "MQ": ("martinique",),
    "MR": ("mauritania", "mauritanie"),
    "MS": ("montserrat",),
    "MT": ("malta",),
    "MU": ("mauritius",),
    "MV": ("maldiven", "maldives"),
    "MW": ("malawi",),
    "MX": ("mexico",),
    "MY": ("malaysia", "maleisie"),
    "MZ": ("mozambique",),
    "NA": ("namibia", "namibie"),
    "NC": ("new caledonia", "nieuw caledonie"),
    "NE": ("niger",),
    "NF": ("norfolk", "norfolk island"),
    "NG": ("nigeria", "nigeriaan", "nigeriaans", "nigeriaanse", "nigerian"),
    "NI": ("nicaragua",),
    "NL": (
        "dutch", "holland", "hollands", "hollandse", "nederland", "nederlander", "nederlands",
        "nederlandse", "netherlands",
    ),
    "NO": ("noorwegen", "norway"),
    "NP": ("nepal",),
    "NR": ("naoero", "nauru"),
    "NU": ("niue",),
    "NZ": ("new zealand", "nieuw zeeland"),
    "OM": ("oman",),
    "PA": ("panama",),
    "PE": ("peru",),
    "PF": ("frans polynesie", "french polynesia"),
    "PG": ("papoea nieuw guinea", "papua new guinea"),
    "PH": (
        "filipijn", "filipijns", "filipijnse", "filipina", "filipino", "filippijnen", "philippine",
        "philippines",
    ),
    "PK": ("pakistaan", "pakistaans", "pakistaanse", "pakistan", "pakistani"),
    "PL": ("poland", "polen", "polish", "pools", "poolse"),
    "PM": ("saint pierre and miquelon", "saint pierre en miquelon"),
    "PN": ("pitcairn", "pitcairneilanden"),
    "PR": ("puerto rico",),
    "PS": ("palestina staat", "palestine"),
    "PT": ("portugal",),
    "PW": ("palau",),
    "PY": ("paraguay",),
    "QA": ("qatar",),
    "RE": ("reunion",),
    "RO": ("roemeen", "roemeens", "roemeense", "roemenie", "romania", "romanian"),
    "RS": ("serbia", "servie"),
    "RU": ("rusland", "russia"),
    "RW": ("rwanda",),
    "SA": ("saoedi arabie", "saudi arabia"),
    "SB": ("salomonseilanden", "solomon islands"),
    "SC": ("seychellen", "seychelles"),
    "SD": ("soedan", "sudan"),
    "SE": ("sweden", "zweden"),
    "SG": ("singapore",),
    "SH": ("saint helena", "sint helena ascension en tristan da cunha"),
    "SI": ("slovenia", "slovenie"),
    "SJ": ("spitsbergen en jan mayen", "svalbard and jan mayen"),
    "SK": ("slovak", "slovakia", "slovakian", "slowaak", "slowaaks", "slowaakse", "slowakije"),
    "SL": ("sierra leone", "sierra leonean", "sierra leoner", "sierra leoons", "sierra leoonse"),
    "SM": ("san marino",),
    "SN": ("senegal",),
    "SO": ("somalia", "somalie"),
    "SR": ("surinaams", "surinaamse", "suriname", "surinamer", "surinamese"),
    "SS": ("south sudan", "zuid soedan"),
    "ST": ("sao tome and principe", "sao tome en principe"),
    "SV": ("el salvador",),
    "SX": ("sint maarten", "sint maarten dutch part"),
    "SY": ("syria", "syrian", "syrie", "syrier", "syrisch", "syrische"),
    "SZ": ("eswatini",),
    "TC": ("turks and caicos islands", "turks en caicoseilanden"),
    "TD": ("chad", "tsjaad"),
    "TF": ("franse zuidelijke en antarctische gebieden", "french southern territories"),
    "TG": ("togo",),
    "TH": ("thai", "thailand", "thais", "thaise"),
    "TJ": ("tadzjikistan", "tajikistan"),
    "TK": ("tokelau", "tokelau eilanden"),
    "TL": ("oost timor", "timor leste"),
    "TM": ("turkmenistan",),
    "TN": ("tunesie", "tunisia"),
    "TO": ("tonga",),
    "TR": ("turk", "turkey", "turkije", "turkish", "turkiye", "turks", "turkse"),
    "TT": ("trinidad and tobago", "trinidad en tobago"),
    "TV": ("tuvalu",),
    "TW": ("taiwan",),
    "TZ": ("tanzania",),
    "UA": ("oekraiener", "oekraiens", "oekraiense", "oekraine", "ukraine", "ukrainian"),
    "UG": ("oeganda", "oegandees", "oegandese", "uganda", "ugandan"),
    "UM": (
        "kleine pacifische eilanden van de verenigde staten",
        "united states minor outlying islands",
    ),
    "US": (
        "american", "amerika", "amerikaans", "amerikaanse", "united states of america", "usa",
        "verenigde staten", "verenigde staten van amerika", "vs",
    ),
    "UY": ("uruguay",),
    "UZ": ("oezbekistan", "uzbekistan"),
    "VA": ("heilige stoel", "vatican city"),
    "VC": ("saint vincent and the grenadines", "saint vincent en de grenadines"),
    "VE": ("venezolaan", "venezolaans", "venezolaanse", "venezuela", "venezuelan"),
    "VG": ("britse maagdeneilanden", "virgin islands british"),
    "VI": ("amerikaanse maagdeneilanden", "virgin islands u s"),
    "VN": ("vietnam", "vietnamees", "vietnamese"),
    "VU": ("vanuatu",),
    "WF": ("wallis and futuna", "wallis en futuna"),
    "WS": ("samoa",),
    "YE": ("jemen", "yemen"),
    "YT": ("mayotte",),
    "ZA": ("south africa", "zuid afrika"),
    "ZM": ("zambia",),
    "ZW": ("zimbabwe",),
}
WORD_CODES = {word: code for code, words in WORDS.items() for word in words}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    words = "".join(char if char.isalnum() else " " for char in plain).split()
    return " ".join(word for word in words if word not in FILLER_WORDS)


def read(text: str) -> tuple[str, str]:
    """(code, text to keep): the code, or "" and the original text when it names no country."""
    folded = fold(text)
    if folded in UNKNOWN_WORDS:
        return "", ""
    code = WORD_CODES.get(folded, "")
    if not code and folded not in AMBIGUOUS and folded.upper() in CODES:
        code = folded.upper()
    return code, "" if code else text.strip()


def _rows(schema_editor: Any, select: str, update: Callable[..., list[Any]]) -> None:
    # Raw SQL: through the model the encrypted field would try to decrypt what it reads, and
    # the nationality column still holds text that is not a code.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(select)
        for row in cursor.fetchall():
            cursor.execute(
                "UPDATE signals_signal SET victim_nationality = %s, victim_nationality_text = %s "
                "WHERE id = %s",
                update(*row),
            )


def to_codes(apps: Any, schema_editor: Any) -> None:
    def update(pk: int, text: str) -> list[Any]:
        code, kept = read(text)
        return [code, inbeeld.privacy.encryption.encrypt(kept) if kept else "", pk]

    _rows(
        schema_editor,
        "SELECT id, victim_nationality FROM signals_signal WHERE victim_nationality <> ''",
        update,
    )


def to_text(apps: Any, schema_editor: Any) -> None:
    def update(pk: int, code: str, kept: str) -> list[Any]:
        text = inbeeld.privacy.encryption.decrypt(kept) if kept else code
        return [text, "", pk]

    _rows(
        schema_editor,
        "SELECT id, victim_nationality, victim_nationality_text FROM signals_signal "
        "WHERE victim_nationality <> '' OR victim_nationality_text <> ''",
        update,
    )


class Migration(migrations.Migration):
    dependencies = [("signals", "0006_nationality_as_first_written")]

    operations = [migrations.RunPython(to_codes, to_text)]
