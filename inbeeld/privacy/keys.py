"""Key rotation: re-encrypt every encrypted value under the current key, without loss."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from django.db import connection, transaction

from inbeeld.privacy.encryption import encrypted_fields, rotate

BATCH = 500


@dataclass(frozen=True)
class RotationReport:
    values: int
    fields: list[str]


def embedded_key_add(key_file: Path) -> None:
    """Put a new key first in the embedded key file; the old ones stay for decryption."""
    existing = key_file.read_text(encoding="ascii").split() if key_file.exists() else []
    key_file.write_text("\n".join([Fernet.generate_key().decode("ascii"), *existing]) + "\n")
    key_file.chmod(0o600)


@transaction.atomic
def reencrypt_all() -> RotationReport:
    """Re-encrypt in one transaction: either every value moves to the new key, or none."""
    count = 0
    names = []
    for model, field_name in encrypted_fields():
        meta = model._meta
        table = connection.ops.quote_name(meta.db_table)
        column = connection.ops.quote_name(str(getattr(meta.get_field(field_name), "column", "")))
        primary_key = connection.ops.quote_name(str(meta.pk.column if meta.pk else "id"))
        names.append(f"{meta.label_lower}.{field_name}")
        # Identifiers come from the model metadata, values go as parameters.
        select = f"SELECT {primary_key}, {column} FROM {table} WHERE {column} <> ''"  # noqa: S608
        update = f"UPDATE {table} SET {column} = %s WHERE {primary_key} = %s"  # noqa: S608
        with connection.cursor() as cursor:
            # Raw SQL: the ciphertext is rotated as it is, never decrypted into the ORM.
            cursor.execute(select)
            rows = cursor.fetchall()
            for start in range(0, len(rows), BATCH):
                updates = [(rotate(token), pk) for pk, token in rows[start : start + BATCH]]
                cursor.executemany(update, updates)
                count += len(updates)
    return RotationReport(values=count, fields=names)
