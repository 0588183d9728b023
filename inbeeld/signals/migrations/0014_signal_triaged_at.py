from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("signals", "0013_queue_index_to_the_id")]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="triaged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="triaged at"),
        ),
    ]
