"""Give signals stored with a date of birth but without an age band the band it implies.

Before, a date of birth did not set the age band: a 16-year-old showed "Unknown" and was not
marked as a minor. From now on intake derives it (signals/services.py); this does the same
for the signals already stored: the age on the date of the incident, or on the day the
signal came in when that is unknown (the day intake would have used). The rule is copied
here, not imported, so that the migration does the same whenever it runs; the tests compare
it with signals/ages.py. A signal that has a band already keeps it, also when the date of
birth says otherwise: that was a person's choice, which the signal's page shows beside the
date of birth. Erased signals hold no date of birth. Backwards there is nothing to undo
that can be told apart from a band a person chose, so nothing is undone.
"""

from datetime import date
from typing import Any

from django.db import migrations
from django.utils import timezone


def age_band(born: date, day: date) -> str:
    age = day.year - born.year - int((day.month, day.day) < (born.month, born.day))
    if age < 18:
        return "minor"
    if age < 24:
        return "18-23"
    if age < 50:
        return "24-49"
    return "50+"


def derive(apps: Any, schema_editor: Any) -> None:
    signal_model = apps.get_model("signals", "Signal")
    without_band = signal_model.objects.filter(victim_age_band="", erased_at__isnull=True)
    fields = ("id", "victim_date_of_birth", "incident_date", "created_at")
    for signal in without_band.only(*fields).iterator(chunk_size=500):
        try:
            born = date.fromisoformat(str(signal.victim_date_of_birth or ""))
        except ValueError:
            continue  # no date of birth (or none that can be read): nothing to derive
        day = signal.incident_date or timezone.localdate(signal.created_at)
        if born > day:
            continue  # a date of birth after the incident: for a person to look at
        signal_model.objects.filter(pk=signal.pk).update(victim_age_band=age_band(born, day))


class Migration(migrations.Migration):
    dependencies = [("signals", "0011_signal_version")]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop, elidable=True)]
