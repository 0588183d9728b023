"""Record, for the signals stored before 0009, the catalogue their risk score was made with.

Every signal stored so far was scored with catalogue 2026.1: the only version InBeeld
shipped before a signal kept its version. The weights of 2026.1 are frozen below rather than
read from data/indicators.json, because a migration must do the same whenever it runs: an
installation that upgrades later runs this with a newer packaged catalogue, whose weights
differ or which lacks some codes, and reading that would stamp old signals with a version
that never scored them (or fail on a dropped code). The tests check this copy against
catalogue 2026.1 as long as that is the packaged one.

A signal whose codes are not all in the table, or whose stored score is not the sum of
their weights, was not scored by 2026.1 as shipped: its version stays empty ("not
recorded") and its page says so rather than invent what the score was made of. The score
itself, which orders the queue, is never changed. Backwards there is nothing to undo: 0009
removes the columns.
"""

import math
from typing import Any

from django.db import migrations

VERSION = "2026.1"

# Catalogue 2026.1: code -> (kind, weight).
WEIGHTS: dict[str, tuple[str, float]] = {
    "GEN-DOCS": ("indicator", 3.0),
    "GEN-DEBT": ("indicator", 3.0),
    "GEN-THREATS": ("indicator", 3.0),
    "GEN-MOVEMENT": ("indicator", 3.0),
    "GEN-VIOLENCE": ("indicator", 2.5),
    "GEN-DECEPTION": ("indicator", 2.5),
    "GEN-NO-MONEY": ("indicator", 2.5),
    "GEN-ESCORTED": ("indicator", 2.0),
    "GEN-ISOLATION": ("indicator", 2.0),
    "GEN-UNKNOWN-ADDRESS": ("indicator", 2.0),
    "GEN-INSTRUCTED-STORY": ("indicator", 1.5),
    "GEN-VULNERABLE": ("indicator", 1.5),
    "GEN-NO-CARE": ("indicator", 1.5),
    "GEN-FEAR": ("indicator", 1.0),
    "GEN-EXHAUSTED": ("indicator", 1.0),
    "SEX-FORCED": ("indicator", 3.0),
    "SEX-OWNERSHIP-MARK": ("indicator", 2.5),
    "SEX-ADVERTISED": ("indicator", 2.0),
    "SEX-SLEEPS-AT-WORK": ("indicator", 2.0),
    "SEX-MOVED-AROUND": ("indicator", 2.0),
    "SEX-CONTROLLING-PARTNER": ("indicator", 2.0),
    "SEX-VOODOO-ITEMS": ("indicator", 2.0),
    "SEX-LONG-HOURS": ("indicator", 1.5),
    "SEX-NIGHTS-OUT": ("indicator", 1.5),
    "SEX-RUNAWAY": ("indicator", 1.5),
    "SEX-PHONE-CONTROL": ("indicator", 1.5),
    "SEX-SUDDEN-MONEY": ("indicator", 1.0),
    "SEX-SELF-HARM": ("indicator", 1.0),
    "SEX-FEW-CLOTHES": ("indicator", 1.0),
    "SEX-APPEARANCE-CHANGE": ("indicator", 0.5),
    "LAB-WAGES-WITHHELD": ("indicator", 3.0),
    "LAB-LIVES-AT-WORK": ("indicator", 2.0),
    "LAB-EXCESSIVE-HOURS": ("indicator", 2.0),
    "LAB-FINES-DEDUCTIONS": ("indicator", 2.0),
    "LAB-POOR-HOUSING": ("indicator", 1.5),
    "LAB-DANGEROUS-WORK": ("indicator", 1.5),
    "LAB-UNDERPAID": ("indicator", 1.5),
    "LAB-EMPLOYER-ARRANGES-ALL": ("indicator", 1.5),
    "LAB-GROUP-TRANSPORT": ("indicator", 1.0),
    "LAB-UNDECLARED": ("indicator", 1.0),
    "LAB-NO-CONTRACT": ("indicator", 1.0),
    "CRIM-FORCED-CRIME": ("indicator", 3.0),
    "CRIM-NAME-USED": ("indicator", 2.5),
    "CRIM-DRUGS-FOUND": ("indicator", 2.0),
    "CRIM-WAITED-FOR": ("indicator", 1.5),
    "CRIM-GANG": ("indicator", 1.5),
    "CRIM-SECRET-FRIENDS": ("indicator", 1.0),
    "CRIM-SCHOOL-DROP": ("indicator", 1.0),
    "ORG-PAYMENT-OFFER": ("indicator", 2.5),
    "ORG-UNPAID-OR-DEBT": ("indicator", 3.0),
    "ORG-TRAVEL-ARRANGED": ("indicator", 2.5),
    "ORG-UNEXPLAINED-SCAR": ("indicator", 2.0),
    "ORG-NO-AFTERCARE": ("indicator", 1.5),
    "OTH-DOMESTIC-SERVITUDE": ("indicator", 2.5),
    "OTH-FORCED-BEGGING": ("indicator", 2.5),
    "OTH-THEFT-QUOTA": ("indicator", 2.5),
    "OTH-GROUP-MOVED": ("indicator", 2.0),
    "MET-LOVERBOY": ("method", 2.5),
    "MET-DEBT-BONDAGE": ("method", 3.0),
    "MET-VIOLENCE": ("method", 3.0),
    "MET-THREATS": ("method", 2.5),
    "MET-DOCUMENTS": ("method", 3.0),
    "MET-JUJU": ("method", 2.5),
    "MET-ISOLATION": ("method", 2.0),
    "MET-DECEPTION": ("method", 2.0),
    "MET-WAGE-WITHHOLDING": ("method", 2.5),
    "MET-ABUSE-VULNERABILITY": ("method", 2.0),
    "MET-DRUG-DEPENDENCY": ("method", 2.0),
}


def contributions(indicators: list[str], methods: list[str]) -> list[dict[str, Any]] | None:
    """As inbeeld.signals.scoring.stored_contributions; None if a code is not in 2026.1."""
    found: dict[str, dict[str, Any]] = {}
    for codes, kind in ((indicators, "indicator"), (methods, "method")):
        for code in codes:
            entry = WEIGHTS.get(code)
            if entry is None or entry[0] != kind:
                return None
            found.setdefault(code, {"code": code, "kind": kind, "weight": entry[1]})
    return sorted(found.values(), key=lambda c: (-c["weight"], c["code"]))


def record(apps: Any, schema_editor: Any) -> None:
    signal = apps.get_model("signals", "Signal")
    # Only these columns: the encrypted ones are neither needed nor decrypted.
    rows = signal.objects.only("pk", "indicators", "methods", "risk_score").order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=2000):
        parts = contributions(row.indicators or [], row.methods or [])
        if parts is None:
            continue
        total = math.fsum(part["weight"] for part in parts)
        if not math.isclose(total, row.risk_score, rel_tol=0, abs_tol=1e-9):
            continue
        row.risk_catalogue_version, row.risk_contributions = VERSION, parts
        batch.append(row)
        if len(batch) == 500:
            signal.objects.bulk_update(batch, ["risk_catalogue_version", "risk_contributions"])
            batch = []
    signal.objects.bulk_update(batch, ["risk_catalogue_version", "risk_contributions"])


class Migration(migrations.Migration):
    dependencies = [("signals", "0009_score_catalogue")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
