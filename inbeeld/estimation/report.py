"""A readable text report of an estimate, in Dutch (default) or English."""

from __future__ import annotations

import math
from typing import Any

from inbeeld.estimation.result import EstimationResult

LANGUAGES = ("nl", "en")

_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Schatting van de totale omvang (Multiple Systems Estimation)",
        "lists": "Lijsten",
        "observed": "Gezien (op minstens één lijst)",
        "estimate": "Geschat totaal, gezien en niet gezien",
        "estimate_posterior": "Geschat totaal (mediaan van de posterior)",
        "dark": "Niet gezien (dark number)",
        "share": "van het geschatte totaal",
        "bca": "{level}-betrouwbaarheidsinterval (BCa-bootstrap, {n} herhalingen)",
        "bca_bic": (
            "{level}-betrouwbaarheidsinterval (BCa-bootstrap over de {k} beste modellen, "
            "{n} herhalingen)"
        ),
        "posterior": "{level}-posteriorinterval (kwantielen van de posterior)",
        "posterior_mean": "Gemiddelde van de posterior",
        "conditional": "{level}-interval gegeven het gekozen model",
        "conditional_note": "houdt geen rekening met onzekerheid over de modelkeuze",
        "headline_conditional": "{level}-interval (gegeven het model; geen bootstrap gedaan)",
        "method_stepwise": "Model: stapsgewijs gekozen (toevoegen zolang p < {p})",
        "method_fixed": "Model: vast, door de gebruiker opgegeven",
        "method_main": "Model: alleen hoofdeffecten (lijsten onafhankelijk verondersteld)",
        "method_bic": (
            "Model: kleinste BIC van {valid} geldige hiërarchische modellen (van {fitted}, "
            "interacties van hoogstens {order} lijsten)"
        ),
        "method_dga": (
            "Model: Bayesiaans gemiddelde over {graphs} decomposeerbare grafen (dga), "
            "δ = {delta}, niet gezien tussen 0 en {maximum}"
        ),
        "method_lcmcr": (
            "Model: latente klassen (LCMCR), K = {latent_classes}, burn-in {burnin}, "
            "{samples} trekkingen, thinning {thinning}"
        ),
        "auto_bic": "Methode automatisch gekozen: BIC (5 lijsten of minder)",
        "auto_stepwise": "Methode automatisch gekozen: stapsgewijs (meer dan 5 lijsten)",
        "chosen": "Gekozen model {label}",
        "top_bic": "Beste modellen (BIC; schatting)",
        "top_dga": "Meest waarschijnlijke grafen (posteriorkans)",
        "independent": "lijsten onafhankelijk",
        "tail": "Kans dat het aantal niet-gezien boven 5× het aantal gezien ligt: {p}",
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
            "{level} kans tussen {low} en {high} (posteriorinterval)."
        ),
    },
    "en": {
        "title": "Estimate of the total population (Multiple Systems Estimation)",
        "lists": "Lists",
        "observed": "Observed (on at least one list)",
        "estimate": "Estimated total, seen and unseen",
        "estimate_posterior": "Estimated total (posterior median)",
        "dark": "Not seen (dark figure)",
        "share": "of the estimated total",
        "bca": "{level} confidence interval (BCa bootstrap, {n} replicates)",
        "bca_bic": "{level} confidence interval (BCa bootstrap over the {k} best models, {n} "
        "replicates)",
        "posterior": "{level} posterior interval (posterior quantiles)",
        "posterior_mean": "Posterior mean",
        "conditional": "{level} interval given the chosen model",
        "conditional_note": "ignores the uncertainty of choosing the model",
        "headline_conditional": "{level} interval (given the model; no bootstrap run)",
        "method_stepwise": "Model: chosen stepwise (terms added while p < {p})",
        "method_fixed": "Model: fixed, given by the user",
        "method_main": "Model: main effects only (lists assumed independent)",
        "method_bic": (
            "Model: smallest BIC of {valid} valid hierarchical models (of {fitted}, "
            "interactions of at most {order} lists)"
        ),
        "method_dga": (
            "Model: Bayesian average over {graphs} decomposable graphs (dga), δ = {delta}, "
            "unseen between 0 and {maximum}"
        ),
        "method_lcmcr": (
            "Model: latent classes (LCMCR), K = {latent_classes}, burn-in {burnin}, {samples} "
            "draws, thinning {thinning}"
        ),
        "auto_bic": "Method chosen automatically: BIC (5 lists or fewer)",
        "auto_stepwise": "Method chosen automatically: stepwise (more than 5 lists)",
        "chosen": "Chosen model {label}",
        "top_bic": "Best models (BIC; estimate)",
        "top_dga": "Most probable graphs (posterior probability)",
        "independent": "lists independent",
        "tail": "Probability that the unseen number exceeds 5× the number seen: {p}",
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

TOP_SHOWN = 5
WIDTH = 44


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


def _decimal(value: float, lang: str, digits: int = 3) -> str:
    return _localise(f"{value:.{digits}g}", lang)


def _localise(text: str, lang: str) -> str:
    """A decimal point as the language writes it."""
    return text.replace(".", ",") if lang == "nl" else text


def _range(low: float, high: float, lang: str) -> str:
    return f"{format_number(low, lang)} – {format_number(high, lang)}"


def render(result: EstimationResult, lang: str = "nl", source: str | None = None) -> str:
    """The report as text, ending in a newline."""
    text = _TEXT[lang]
    lines = [text["title"]]
    if source:
        lines.append(source)
    lines.append(f"{text['lists']}: {', '.join(result.lists)}")
    lines.append("")
    share = result.dark_figure / result.estimate if result.estimate > 0 else 0.0
    label = "estimate_posterior" if result.posterior_interval is not None else "estimate"
    lines += [
        f"{text['observed']:<{WIDTH}} {format_number(result.observed, lang):>10}",
        f"{text[label]:<{WIDTH}} {format_number(result.estimate, lang):>10}",
        f"{text['dark']:<{WIDTH}} {format_number(result.dark_figure, lang):>10}"
        f"  ({_percent(round(share, 2), lang)} {text['share']})",
    ]
    lines += _interval_lines(result, lang)
    lines.append("")
    lines += _method_lines(result, lang)
    if result.bootstrap:
        lines.append(f"{text['skipped']}: {result.skipped_replicates} / {result.bootstrap}")
    if result.seed is not None and (result.bootstrap or result.method == "lcmcr"):
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


def _interval_lines(result: EstimationResult, lang: str) -> list[str]:
    text = _TEXT[lang]
    level = _percent(result.level, lang)
    low, high = result.interval
    if result.posterior_interval is not None:
        lines = [f"{text['posterior'].format(level=level)}: {_range(low, high, lang)}"]
        if result.posterior_mean is not None:
            lines.append(
                f"{text['posterior_mean']:<{WIDTH}} "
                f"{format_number(result.posterior_mean, lang):>10}"
            )
        return lines
    if result.bca_interval is None:
        return [f"{text['headline_conditional'].format(level=level)}: {_range(low, high, lang)}"]
    n = format_number(result.bootstrap, lang)
    if result.method == "bic":
        k = format_number(result.parameters.get("top_models", 1), lang)
        headline = text["bca_bic"].format(level=level, n=n, k=k)
    else:
        headline = text["bca"].format(level=level, n=n)
    lines = [f"{headline}: {_range(low, high, lang)}"]
    if result.conditional_interval is not None:
        c_low, c_high = result.conditional_interval
        lines.append(
            f"{text['conditional'].format(level=level)}: {_range(c_low, c_high, lang)}"
            f" ({text['conditional_note']})"
        )
    return lines


def _method_lines(result: EstimationResult, lang: str) -> list[str]:
    text = _TEXT[lang]
    lines = []
    if result.parameters.get("requested_method") == "auto":
        lines.append(text["auto_bic" if result.method == "bic" else "auto_stepwise"])
    if result.method == "bic":
        return lines + _bic_lines(result, lang)
    if result.method == "dga":
        return lines + _dga_lines(result, lang)
    if result.method == "lcmcr":
        numbers = {
            key: format_number(value, lang)
            for key, value in result.parameters.items()
            if isinstance(value, int | float)
        }
        return [*lines, text["method_lcmcr"].format(**numbers)]
    return lines + _model_lines(result, lang)


def _bic_lines(result: EstimationResult, lang: str) -> list[str]:
    text = _TEXT[lang]
    found: dict[str, Any] = result.diagnostics
    lines = [
        text["method_bic"].format(
            valid=format_number(found["models_valid"], lang),
            fitted=format_number(found["models_fitted"], lang),
            order=result.parameters["max_order"],
        ),
        text["chosen"].format(label=found["model_string"])
        + f": {', '.join(result.model) or text['independent']}",
        f"{text['top_bic']}:",
    ]
    for position, entry in enumerate(result.top_models[:TOP_SHOWN]):
        terms = ", ".join(entry["terms"]) or text["independent"]
        lines.append(
            f"  {position + 1}. {entry['model']} {terms} "
            f"({format_number(entry['bic'], lang, 2)}; {format_number(entry['estimate'], lang)})"
        )
    if result.infinite_terms:
        lines.append(f"{text['infinite']}: {', '.join(result.infinite_terms)}")
    return lines


def _dga_lines(result: EstimationResult, lang: str) -> list[str]:
    text = _TEXT[lang]
    parameters = result.parameters
    lines = [
        text["method_dga"].format(
            graphs=format_number(parameters["graphs"], lang),
            delta=_decimal(parameters["delta"], lang, 4),
            maximum=format_number(parameters["missing_max"], lang),
        ),
        f"{text['top_dga']}:",
    ]
    for position, entry in enumerate(result.top_models[:TOP_SHOWN]):
        weight = f"{entry['weight']:.3f}"
        lines.append(f"  {position + 1}. {entry['graph']} ({_localise(weight, lang)})")
    tail = result.diagnostics.get("tail_beyond_5x")
    if tail is not None:
        lines.append(text["tail"].format(p=_decimal(tail, lang)))
    return lines


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
