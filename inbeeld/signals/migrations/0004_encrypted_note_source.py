"""The source of a note is free text a person typed: encrypted from now on.

Schema only; 0004 encrypts the sources already stored.
"""

import inbeeld.privacy.encryption
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("signals", "0003_submission_digest")]

    operations = [
        migrations.AlterField(
            model_name="signalnote",
            name="source",
            field=inbeeld.privacy.encryption.EncryptedTextField(
                blank=True, verbose_name="source of the information"
            ),
        ),
    ]
