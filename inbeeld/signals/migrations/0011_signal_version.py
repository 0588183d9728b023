"""A version per signal for optimistic locking (signals/concurrency.py); all start at 1."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("signals", "0010_record_score_catalogue")]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddConstraint(
            model_name="signal",
            constraint=models.CheckConstraint(
                condition=models.Q(("version__gte", 1)), name="signal_version_from_1"
            ),
        ),
    ]
