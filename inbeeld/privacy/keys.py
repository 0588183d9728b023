"""Key rotation: re-encrypt every encrypted value under the current key, without loss,
in batches, resumable, while the application keeps working."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection, models, transaction

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


def _current(token: str) -> bool:
    """Whether ``token`` is already under the first key: a resumed run skips it."""
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode("ascii")).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def reencrypt_all(*, progress: Callable[[str, int, int], None] | None = None) -> RotationReport:
    """Re-encrypt every encrypted value under the first key, in short batches.

    Each batch of BATCH rows is its own transaction, so the application keeps working while
    a large database rotates (one transaction held row locks on every signal for the whole
    run, longer than gunicorn's timeout). Values already under the first key are skipped,
    so a run that was stopped simply starts again and finishes the rest. Reads go by primary
    key in pages, never the whole table into memory. The ciphertext is rotated as it is,
    never decrypted into the ORM. ``progress(field, done, total)`` hears after each batch.
    """
    count = 0
    names = []
    for model, field_name in encrypted_fields():
        meta = model._meta
        name = f"{meta.label_lower}.{field_name}"
        names.append(name)
        count += _reencrypt_field(model, field_name, name, progress)
    return RotationReport(values=count, fields=names)


def _reencrypt_field(
    model: type[models.Model],
    field_name: str,
    name: str,
    progress: Callable[[str, int, int], None] | None,
) -> int:
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    column = connection.ops.quote_name(str(getattr(meta.get_field(field_name), "column", "")))
    primary_key = connection.ops.quote_name(str(meta.pk.column if meta.pk else "id"))
    # Identifiers come from the model metadata, values go as parameters.
    total_sql = f"SELECT COUNT(*) FROM {table} WHERE {column} <> ''"  # noqa: S608
    page_sql = (
        f"SELECT {primary_key}, {column} FROM {table} "  # noqa: S608
        f"WHERE {column} <> '' AND {primary_key} > %s ORDER BY {primary_key} LIMIT %s"
    )
    update_sql = f"UPDATE {table} SET {column} = %s WHERE {primary_key} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(total_sql)
        total = int(cursor.fetchone()[0])
    done, rotated, last = 0, 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(page_sql, [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            updates = [(rotate(token), pk) for pk, token in rows if not _current(token)]
            if updates:
                cursor.executemany(update_sql, updates)
        last, done, rotated = rows[-1][0], done + len(rows), rotated + len(updates)
        if progress is not None:
            progress(name, done, total)
    return rotated
