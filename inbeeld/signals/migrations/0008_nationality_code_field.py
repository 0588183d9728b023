"""Nationality is an ISO 3166-1 alpha-2 code from here on (0006 left no longer text)."""

import django_countries.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("signals", "0007_nationality_to_codes")]

    operations = [
        migrations.AlterField(
            model_name="signal",
            name="victim_nationality",
            field=django_countries.fields.CountryField(
                blank=True, max_length=2, verbose_name="nationality"
            ),
        ),
    ]
