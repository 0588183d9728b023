"""Encrypt the encoded lists at rest; rows stored before this migration are encrypted here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations

import inbeeld.privacy.encryption


def _transform_existing(schema_editor: Any, transform: Callable[[str], str]) -> None:
    # Raw SQL: the column keeps its type; only its content changes between text and ciphertext.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, content FROM insight_encodedlist WHERE content <> ''")
        for pk, content in cursor.fetchall():
            cursor.execute(
                "UPDATE insight_encodedlist SET content = %s WHERE id = %s",
                [transform(content), pk],
            )


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    _transform_existing(schema_editor, inbeeld.privacy.encryption.encrypt)


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    _transform_existing(schema_editor, inbeeld.privacy.encryption.decrypt)


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_encoded_lists_and_linkage_runs")]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(
            model_name="encodedlist",
            name="content",
            field=inbeeld.privacy.encryption.EncryptedTextField(verbose_name="encoded file"),
        ),
    ]
