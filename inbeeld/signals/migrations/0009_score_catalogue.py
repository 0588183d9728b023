"""A signal keeps the catalogue version and the contributions of its risk score.

Schema only; 0010 records them for the signals already stored.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("signals", "0008_nationality_code_field")]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="risk_catalogue_version",
            field=models.CharField(
                blank=True, max_length=32, verbose_name="catalogue version of the risk score"
            ),
        ),
        migrations.AddField(
            model_name="signal",
            name="risk_contributions",
            field=models.JSONField(
                blank=True, default=list, verbose_name="contributions to the risk score"
            ),
        ),
    ]
