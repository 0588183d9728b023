"""Encodings: deterministic per key, unrelated across keys, and nothing readable inside."""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from inbeeld.linkage.encode import Encoder, HmacSha256
from inbeeld.linkage.files import read_encoded_csv
from inbeeld.linkage.keys import key_fingerprint, key_generate, key_load
from inbeeld.linkage.normalise import NORMALISERS, normalise_date
from inbeeld.linkage.pipeline import encode_file
from inbeeld.linkage.similarity import dice_of_pairs
from inbeeld.linkage.synthetic import make_people, render
from inbeeld.linkage.tests.factories import three_lists, write_csv

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))


def _normalised(row: dict[str, str]) -> dict[str, str]:
    return {field: NORMALISERS[field](row.get(field, "")) for field in NORMALISERS}


def _records() -> list[dict[str, str]]:
    return [_normalised(row) for row in three_lists()[0].rows]


def _dice(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    index = np.arange(len(left))
    return dice_of_pairs(left, right, index, index)


def test_hmac_matches_the_standard_library() -> None:
    for message in (b"", b"abc", b"x" * 200):
        assert HmacSha256(KEY_A).digest(message) == hmac.digest(KEY_A, message, hashlib.sha256)


def test_same_key_same_encoding() -> None:
    records = _records()
    first, second = Encoder(KEY_A).encode(records), Encoder(KEY_A).encode(records)
    assert np.array_equal(first.filters, second.filters)
    assert first.blocking == second.blocking


def test_encoding_does_not_depend_on_batch_or_order() -> None:
    records = _records()
    whole = Encoder(KEY_A).encode(records).filters
    reversed_ = Encoder(KEY_A).encode(records[::-1]).filters[::-1]
    assert np.array_equal(whole, reversed_)


def test_other_key_gives_unrelated_encodings() -> None:
    records = _records()
    with_a, with_b = Encoder(KEY_A).encode(records), Encoder(KEY_B).encode(records)
    assert _dice(with_a.filters, with_b.filters).max() < 0.7
    values_a = {value for values in with_a.blocking for value in values}
    values_b = {value for values in with_b.blocking for value in values}
    assert not values_a & values_b


def test_same_person_in_other_formats_scores_high() -> None:
    import random

    people = make_people(50, seed=3)
    rng = random.Random(4)
    left = [_normalised(render(person, rng, errors=0.0)) for person in people]
    right = [_normalised(render(person, rng, errors=0.0)) for person in people]
    encoder = Encoder(KEY_A)
    scores = _dice(encoder.encode(left).filters, encoder.encode(right).filters)
    assert scores.min() > 0.95


def test_swapped_name_order_still_scores_high() -> None:
    person = _normalised(
        {"given_name": "Fatima", "surname": "El Amrani", "date_of_birth": "1990-01-02"}
    )
    swapped = dict(person, given_name=person["surname"], surname=person["given_name"])
    encoder = Encoder(KEY_A)
    assert _dice(encoder.encode([person]).filters, encoder.encode([swapped]).filters)[0] > 0.85
    assert encoder.encode([person]).blocking == encoder.encode([swapped]).blocking


def test_fingerprint_is_not_the_key_or_its_hash() -> None:
    fingerprint = key_fingerprint(KEY_A)
    assert fingerprint not in KEY_A.hex()
    assert fingerprint not in hashlib.sha256(KEY_A).hexdigest()
    assert fingerprint != key_fingerprint(KEY_B)


def test_key_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "partners.key"
    fingerprint = key_generate(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert key_fingerprint(key_load(path)) == fingerprint


def _spellings(value: str) -> set[str]:
    """The value as written, upper/lower case, and normalised."""
    spellings = {value, value.lower(), value.upper(), value.replace(" ", "")}
    return {spelling for spelling in spellings if len(spelling) >= 4}


def test_encoded_file_contains_none_of_the_input(tmp_path: Path) -> None:
    source = three_lists()[0]
    plain = write_csv(tmp_path / "partner.csv", source.rows)
    key = tmp_path / "key"
    key.write_text("inbeeld-linkage-key-v1:" + KEY_A.hex() + "\n")
    out = tmp_path / "encoded.csv"
    encode_file(plain, key_file=key, out=out, field_map={}, id_column="id")
    text = out.read_text()
    forbidden: set[str] = set()
    for row in source.rows:
        for field in ("given_name", "surname", "street", "place", "postcode", "phone"):
            forbidden |= _spellings(row[field]) | _spellings(NORMALISERS[field](row[field]))
        iso = normalise_date(row["date_of_birth"])
        if iso:
            year, month, day = iso[:4], iso[4:6], iso[6:]
            forbidden |= {
                iso,
                f"{year}-{month}-{day}",
                f"{day}-{month}-{year}",
                f"{day}/{month}/{year}",
            }
    # The base64 column is checked on its decoded bytes: its text would contain short
    # words by chance, which is not a leak.
    readable = []
    decoded = []
    for row in csv.DictReader(io.StringIO(text)):
        decoded.append(base64.b64decode(row.pop("encoding")))
        readable.append(",".join(row.values()))
    readable_text = "\n".join(readable).lower()
    raw = b"\n".join(decoded)
    leaked = sorted(
        value for value in forbidden if value.lower() in readable_text or value.encode() in raw
    )
    assert leaked == []
    encoded = read_encoded_csv(out)
    assert len(encoded.ids) == len(source.rows)


@given(st.text(alphabet="ab+0123456789 _", max_size=30))
def test_chunked_cache_keeps_exactly_the_bigrams(value: str) -> None:
    """Caching long values in chunks must not change which tokens a value sets."""
    from inbeeld.linkage.encode import _cache_parts_of_bigrams, _part_tokens, tokens_for
    from inbeeld.linkage.schema import SCHEMA_V1

    spec = next(spec for spec in SCHEMA_V1.fields if spec.field == "phone")
    parts = _cache_parts_of_bigrams(value)
    chunked = {token for part in parts for token in _part_tokens(spec, part)}
    assert chunked == set(tokens_for(spec, value))
