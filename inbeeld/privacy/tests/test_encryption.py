"""Identifying fields are unreadable in the database, searchable by blind index, rotatable."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from inbeeld.accounts.models import Role
from inbeeld.insight.models import EncodedList
from inbeeld.privacy.encryption import blind_index, decrypt, encrypt
from inbeeld.privacy.keys import reencrypt_all
from inbeeld.testing.factories import staff_user

pytestmark = pytest.mark.django_db

SECRET_TEXT = "record_id,schema\nJan de Vries 1990-01-01 Kerkstraat 1 Goes"


def stored_list(content: str = SECRET_TEXT, year: int = 2025) -> EncodedList:
    user = staff_user(role=Role.KETENPARTNER)
    organisation = user.memberships.get().organisation
    return EncodedList.objects.create(
        region=organisation.region,
        organisation=organisation,
        year=year,
        list_name="politie",
        content=content,
        record_count=1,
        schema_id="s",
        key_fingerprint="f",
        uploaded_by=user,
    )


def raw_content(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM insight_encodedlist WHERE id = %s", [pk])
        value: str = cursor.fetchone()[0]
    return value


def test_the_database_row_holds_no_plain_text() -> None:
    item = stored_list()
    raw = raw_content(item.pk)
    for fragment in ("Jan", "Vries", "1990", "Kerkstraat", "Goes", "record_id"):
        assert fragment not in raw
    assert EncodedList.objects.get(pk=item.pk).content == SECRET_TEXT


def test_two_encryptions_of_the_same_text_differ() -> None:
    assert encrypt("Jan") != encrypt("Jan")
    assert decrypt(encrypt("Jan")) == "Jan"


def test_an_encrypted_field_refuses_a_plain_text_search() -> None:
    stored_list()
    with pytest.raises(NotImplementedError, match="blind index"):
        EncodedList.objects.filter(content=SECRET_TEXT).exists()


def test_a_blind_index_finds_equal_values_per_purpose_only() -> None:
    assert blind_index("jansen", purpose="surname") == blind_index("jansen", purpose="surname")
    assert blind_index("jansen", purpose="surname") != blind_index("jansen", purpose="place")
    assert "jansen" not in blind_index("jansen", purpose="surname")


def test_rotation_moves_every_value_to_the_new_key_without_loss(settings: Any) -> None:
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    item = stored_list()
    before = raw_content(item.pk)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    report = reencrypt_all()
    assert report.values >= 1
    assert "insight.encodedlist.content" in report.fields
    assert raw_content(item.pk) != before
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now be retired
    assert EncodedList.objects.get(pk=item.pk).content == SECRET_TEXT


def test_rotation_goes_in_batches_and_a_second_run_has_nothing_left(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped rotation restarts where it was: values already under the new key are skipped."""
    from inbeeld.privacy import keys

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    items = [stored_list(year=2000 + n) for n in range(5)]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    monkeypatch.setattr(keys, "BATCH", 2)
    heard: list[tuple[str, int, int]] = []
    first = reencrypt_all(progress=lambda field, done, total: heard.append((field, done, total)))
    lists = [entry for entry in heard if entry[0] == "insight.encodedlist.content"]
    assert [done for _field, done, _total in lists] == [2, 4, 5]  # three batches of at most 2
    assert first.values >= len(items)
    again = reencrypt_all()
    assert again.values == 0
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert {EncodedList.objects.get(pk=item.pk).content for item in items} == {SECRET_TEXT}
