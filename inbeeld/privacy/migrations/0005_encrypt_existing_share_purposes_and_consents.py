"""Encrypt shares' purposes and consents' "how" stored in plain text before 0004; reversible.

The audit entries that copied a share's purpose before this change keep it: changing them
would break the audit trail's hash chain (docs/privacy.md, known limitation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations

import inbeeld.privacy.encryption

COLUMNS = (("privacy_share", "purpose"), ("privacy_consent", "how"))


def _transform_existing(schema_editor: Any, transform: Callable[[str], str]) -> None:
    # Raw SQL: through the model the field would try to decrypt the plain text it reads.
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        for table, column in COLUMNS:
            cursor.execute(
                f"SELECT id, {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''"
            )
            for pk, value in cursor.fetchall():
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",
                    [transform(value), pk],
                )


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    _transform_existing(schema_editor, inbeeld.privacy.encryption.encrypt)


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    _transform_existing(schema_editor, inbeeld.privacy.encryption.decrypt)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_encrypted_share_purpose_and_consent_how")]

    operations = [migrations.RunPython(encrypt_existing, decrypt_existing)]
