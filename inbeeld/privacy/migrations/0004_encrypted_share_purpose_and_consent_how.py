"""A share's purpose and how a consent was given are typed by people: encrypted text.

Schema only; 0005 encrypts the rows already stored.
"""

import inbeeld.privacy.encryption
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_shares_consent_subject_requests")]

    operations = [
        migrations.AlterField(
            model_name="share",
            name="purpose",
            field=inbeeld.privacy.encryption.EncryptedTextField(verbose_name="purpose"),
        ),
        migrations.AlterField(
            model_name="consent",
            name="how",
            field=inbeeld.privacy.encryption.EncryptedTextField(
                help_text="For example: signed form, orally.", verbose_name="how it was given"
            ),
        ),
    ]
