"""Load the 25 safety regions and 342 municipalities from the reference CSV (CBS / PDOK)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from inbeeld.regions.reference import read_municipalities


def load(apps: Any, schema_editor: Any) -> None:
    region_model = apps.get_model("regions", "Region")
    municipality_model = apps.get_model("regions", "Municipality")
    regions: dict[str, Any] = {}
    for row in read_municipalities():
        region = regions.get(row.region_code)
        if region is None:
            region, _ = region_model.objects.get_or_create(
                code=row.region_code, defaults={"name": row.region_name}
            )
            regions[row.region_code] = region
        municipality_model.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "province": row.province,
                "population": row.population,
                "population_year": row.population_year,
                "region": region,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
