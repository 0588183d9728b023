from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0008_share_kind_referral"),
    ]

    operations = [
        migrations.AlterField(
            model_name="share",
            name="kind",
            field=models.CharField(
                choices=[
                    ("assignment", "Assigned for handling"),
                    ("tip", "Anonymised tip"),
                    ("case_invite", "Invited to a case"),
                    ("referral", "Referral to an organisation"),
                    ("case_table", "Role given at the case table"),
                ],
                max_length=16,
                verbose_name="kind of share",
            ),
        ),
    ]
