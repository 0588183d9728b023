"""Encrypt the sources of notes stored in plain text before 0003; reversible by decrypting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations

import inbeeld.privacy.encryption


def _transform_existing(schema_editor: Any, transform: Callable[[str], str]) -> None:
    # Raw SQL: through the model the field would try to decrypt the plain text it reads.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, source FROM signals_signalnote WHERE source <> ''")
        for pk, source in cursor.fetchall():
            cursor.execute(
                "UPDATE signals_signalnote SET source = %s WHERE id = %s", [transform(source), pk]
            )


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    _transform_existing(schema_editor, inbeeld.privacy.encryption.encrypt)


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    _transform_existing(schema_editor, inbeeld.privacy.encryption.decrypt)


class Migration(migrations.Migration):
    dependencies = [("signals", "0004_encrypted_note_source")]

    operations = [migrations.RunPython(encrypt_existing, decrypt_existing)]
