"""A readable text report of an estimate, in Dutch (default) or English."""

from __future__ import annotations

import math

from inbeeld.estimation.result import EstimationResult

LANGUAGES = ("nl", "en")

_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Schatting van de totale omvang (Multiple Systems Estimation)",
        "lists": "Lijsten",
        "observed": "Gezien (op minstens één lijst)",
        "estimate": "Geschat totaal, gezien en niet gezien",
        "dark": "Niet gezien (dark number)",
        "share": "van het geschatte totaal",
        "bca": "{level}-betrouwbaarheidsinterval (BCa-bootstrap, {n} herhalingen)",
        "conditional": "{level}-interval gegeven het gekozen model",
        "conditional_note": "houdt geen rekening met onzekerheid over de modelkeuze",
        "headline_conditional": "{level}-interval (gegeven het model; geen bootstrap gedaan)",
        "method_stepwise": "Model: stapsgewijs gekozen (toevoegen zolang p < {p})",
        "method_fixed": "Model: vast, door de gebruiker opgegeven",
        "method_main": "Model: alleen hoofdeffecten (lijsten onafhankelijk verondersteld)",
        "terms": "Samenhang tussen lijsten (interacties), in volgorde van toevoegen",
        "no_terms": "Geen interacties: de lijsten worden als onafhankelijk behandeld",
        "infinite": "Lijsten zonder enige overlap (interactie −∞)",
        "warnings": "Let op",
        "skipped": "Overgeslagen bootstrap-herhalingen zonder schatting",
        "seed": "Startwaarde toevalsgenerator (seed)",
        "seconds": "Rekentijd",
        "reading": (
            "Lezen: naar schatting zijn er {estimate} mensen in totaal, van wie {observed} "
            "op minstens één lijst staan."
        ),
        "reading_bca": (
            "Het {level}-bootstrapinterval loopt van {low} tot {high}. Het is geen kans "
            "voor dit ene interval: het komt uit een werkwijze die bij herhaling in ongeveer "
            "{level} van de gevallen het werkelijke aantal omvat. Het neemt toeval en "
            "modelkeuze mee, geen fouten in de aannames."
        ),
        "reading_model-conditional": (
            "Het {level}-interval gegeven het gekozen model loopt van {low} tot {high}. Het "
            "gaat ervan uit dat dat model juist is en is daardoor te smal."
        ),
        "reading_posterior": (
            "Gegeven het model en de a-prioriverdeling ligt het werkelijke aantal met "
            "{level} kans tussen {low} en {high} (posterior-interval)."
        ),
    },
    "en": {
        "title": "Estimate of the total population (Multiple Systems Estimation)",
        "lists": "Lists",
        "observed": "Observed (on at least one list)",
        "estimate": "Estimated total, seen and unseen",
        "dark": "Not seen (dark figure)",
        "share": "of the estimated total",
        "bca": "{level} confidence interval (BCa bootstrap, {n} replicates)",
        "conditional": "{level} interval given the chosen model",
        "conditional_note": "ignores the uncertainty of choosing the model",
        "headline_conditional": "{level} interval (given the model; no bootstrap run)",
        "method_stepwise": "Model: chosen stepwise (terms added while p < {p})",
        "method_fixed": "Model: fixed, given by the user",
        "method_main": "Model: main effects only (lists assumed independent)",
        "terms": "Dependence between lists (interactions), in the order added",
        "no_terms": "No interactions: the lists are treated as independent",
        "infinite": "Lists with no overlap at all (interaction −∞)",
        "warnings": "Note",
        "skipped": "Skipped bootstrap replicates without an estimate",
        "seed": "Random seed",
        "seconds": "Computing time",
        "reading": (
            "Reading: an estimated {estimate} people in total, of whom {observed} are on at "
            "least one list."
        ),
        "reading_bca": (
            "The {level} bootstrap interval runs from {low} to {high}. It is not a "
            "probability for this one interval: it comes from a procedure that, repeated, "
            "covers the true number about {level} of the time. It allows for chance and the "
            "choice of model, not for errors in the assumptions."
        ),
        "reading_model-conditional": (
            "The {level} interval given the chosen model runs from {low} to {high}. It "
            "assumes that model is right, and is too narrow for that reason."
        ),
        "reading_posterior": (
            "Given the model and its prior, the true number lies between {low} and {high} "
            "with {level} probability (a posterior interval)."
        ),
    },
}


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """Thousands separators as the language writes them (nl: 11.418; en: 11,418)."""
    if not math.isfinite(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def _percent(value: float, lang: str) -> str:
    text = f"{value * 100:g}%"
    return text.replace(".", ",") if lang == "nl" else text


def render(result: EstimationResult, lang: str = "nl", source: str | None = None) -> str:
    """The report as text, ending in a newline."""
    text = _TEXT[lang]
    level = _percent(result.level, lang)
    low, high = result.interval
    lines = [text["title"]]
    if source:
        lines.append(source)
    lines.append(f"{text['lists']}: {', '.join(result.lists)}")
    lines.append("")
    width = 44
    share = result.dark_figure / result.estimate if result.estimate > 0 else 0.0
    lines += [
        f"{text['observed']:<{width}} {format_number(result.observed, lang):>10}",
        f"{text['estimate']:<{width}} {format_number(result.estimate, lang):>10}",
        f"{text['dark']:<{width}} {format_number(result.dark_figure, lang):>10}"
        f"  ({_percent(round(share, 2), lang)} {text['share']})",
    ]
    if result.bca_interval is not None:
        lines.append(
            text["bca"].format(level=level, n=format_number(result.bootstrap, lang))
            + f": {format_number(low, lang)} – {format_number(high, lang)}"
        )
        c_low, c_high = result.conditional_interval
        lines.append(
            text["conditional"].format(level=level)
            + f": {format_number(c_low, lang)} – {format_number(c_high, lang)}"
            + f" ({text['conditional_note']})"
        )
    else:
        lines.append(
            text["headline_conditional"].format(level=level)
            + f": {format_number(low, lang)} – {format_number(high, lang)}"
        )
    lines.append("")
    lines += _model_lines(result, lang)
    if result.bootstrap:
        lines.append(f"{text['skipped']}: {result.skipped_replicates} / {result.bootstrap}")
        lines.append(f"{text['seed']}: {result.seed}")
    if result.warnings:
        lines.append("")
        lines.append(f"{text['warnings']}:")
        lines += [f"  - {warning.text(lang)}" for warning in result.warnings]
    lines.append("")
    lines.append(reading(result, lang))
    seconds = f"{result.seconds:.1f} s"
    lines.append(f"{text['seconds']}: {seconds.replace('.', ',') if lang == 'nl' else seconds}")
    return "\n".join(lines) + "\n"


def _model_lines(result: EstimationResult, lang: str) -> list[str]:
    text = _TEXT[lang]
    p_text = f"{result.p_threshold:g}"
    if lang == "nl":
        p_text = p_text.replace(".", ",")
    lines = [text[f"method_{result.method}"].format(p=p_text)]
    if result.model:
        lines.append(f"{text['terms']}:")
        for position, term in enumerate(result.model):
            detail = ""
            if position < len(result.p_values):
                p_value = f"{result.p_values[position]:.2g}"
                detail = f"  (p = {p_value.replace('.', ',') if lang == 'nl' else p_value})"
            lines.append(f"  {position + 1}. {term}{detail}")
    else:
        lines.append(text["no_terms"])
    if result.infinite_terms:
        lines.append(f"{text['infinite']}: {', '.join(result.infinite_terms)}")
    return lines


def reading(result: EstimationResult, lang: str) -> str:
    """The plain-language lines under a report: the estimate, and what its interval is."""
    text = _TEXT[lang]
    low, high = result.interval
    numbers = {
        "estimate": format_number(result.estimate, lang),
        "observed": format_number(result.observed, lang),
        "level": _percent(result.level, lang),
        "low": format_number(low, lang),
        "high": format_number(high, lang),
    }
    return (
        text["reading"].format(**numbers)
        + " "
        + text[f"reading_{result.interval_kind}"].format(**numbers)
    )
