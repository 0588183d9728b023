"""Load the 25 safety regions and 342 municipalities from the reference CSV (CBS / PDOK)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from inbeeld.regions.reference import load_municipalities


def load(apps: Any, schema_editor: Any) -> None:
    load_municipalities(apps.get_model("regions", "Region"), apps.get_model("regions", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
