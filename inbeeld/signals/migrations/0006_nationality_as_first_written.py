"""A place for nationality as first written, before 0006 turns nationality into codes.

Schema only: 0006 fills it for old text that names no single country, and 0007 narrows the
nationality column to a two-letter code once no longer text is left in it.
"""

import inbeeld.privacy.encryption
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("signals", "0005_encrypt_existing_note_sources")]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="victim_nationality_text",
            field=inbeeld.privacy.encryption.EncryptedTextField(
                blank=True, verbose_name="nationality as first written"
            ),
        ),
    ]
