"""Partner side: keyed record-level Bloom filters (CLKs) and keyed blocking values.

Why our own encoder rather than clkhash: clkhash is no longer maintained and reached
12,700 records/s on this machine, half the goal. Here each distinct token is hashed once
per run (one HMAC-SHA256 digest sliced into sixteen 10-bit positions), each distinct field
value is turned into its packed bits once, and a record's filter is the OR of its value
rows, computed for a whole batch with numpy.

Design (references in docs/linkage.md):
- Record-level filter over all fields with per-field weights as numbers of hash functions
  (cryptographic long-term key, Schnell et al. 2011; record-level Bloom filter with
  attribute weighting, Durham et al. 2014).
- Independent bit positions from slices of one keyed digest ("random hashing"), not the
  double-hashing scheme that Niedermeyer et al. (2014) broke.
- Hardening against frequency and pattern-mining attacks (Christen et al. 2017/2018):
  keyed random bit flipping — a deterministic variant of BLIP (Schnell & Borgs 2016):
  a fixed number of positions, chosen by mixing the record's own (keyed) filter, are
  flipped. Deterministic so that encoding the same person twice cannot be averaged out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from inbeeld.linkage.normalise import soundex
from inbeeld.linkage.schema import CURRENT_SCHEMA, FieldSpec, Schema

Filters = npt.NDArray[np.uint64]

_BATCH = 8192


def tokens_for(spec: FieldSpec, value: str) -> list[str]:
    """The tokens of one normalised value."""
    if not value:
        return []
    if spec.tokeniser == "bigrams":
        padded = "_" + value.replace(" ", "_") + "_"
        return [padded[i : i + 2] for i in range(len(padded) - 1)]
    if spec.tokeniser == "digits":
        return [f"{position}{char}" for position, char in enumerate(value)]
    return [value]


def _cache_parts_of_digits(value: str) -> tuple[str, ...]:
    """Pieces of a digits value that are cached on their own.

    A date of birth is nearly unique, but its year and its day-month repeat: caching
    "0:1980" and "4:0612" (offset and digits) instead of "19800612" makes almost every
    date a cache hit.
    """
    if len(value) > 4:
        return ("0:" + value[:4], "4:" + value[4:])
    return ("0:" + value,)


# Fields whose values are nearly unique per person; their bigrams are cached in chunks.
_CHUNKED_BIGRAM_FIELDS = frozenset(("postcode", "phone"))
_CHUNK = 4


def _cache_parts_of_bigrams(value: str) -> tuple[str, ...]:
    """Overlapping chunks of the padded value, marked with a leading NUL.

    The bigrams of the chunks are exactly the bigrams of the value (each chunk starts on
    the previous chunk's last character), so the filter does not change; but the chunks
    of "+31612345678" repeat across persons where the whole number does not.
    """
    if not value:
        return ()
    padded = "\x00_" + value.replace(" ", "_") + "_"
    if len(padded) <= _CHUNK + 1:
        return (padded,)
    rest = padded[1:]
    first = padded[: _CHUNK + 1]
    return (
        first,
        *["\x00" + rest[i : i + _CHUNK] for i in range(_CHUNK - 1, len(rest) - 1, _CHUNK - 1)],
    )


def _cache_splitter(spec: FieldSpec) -> Callable[[str], tuple[str, ...]] | None:
    if spec.tokeniser == "digits":
        return _cache_parts_of_digits
    if spec.tokeniser == "bigrams" and spec.field in _CHUNKED_BIGRAM_FIELDS:
        return _cache_parts_of_bigrams
    return None


def _part_tokens(spec: FieldSpec, part: str) -> list[str]:
    if part.startswith("\x00"):
        chunk = part[1:]
        return [chunk[i : i + 2] for i in range(len(chunk) - 1)]
    if spec.tokeniser == "digits" and ":" in part:
        offset, digits = part.split(":", 1)
        return [f"{int(offset) + position}{char}" for position, char in enumerate(digits)]
    return tokens_for(spec, part)


def blocking_plaintexts(fields: Mapping[str, str]) -> list[str]:
    """Blocking keys before keyed hashing; each key starts with its kind.

    Several keys per record so that one typo or blank cannot lose a true pair; each key
    combines two attributes so that no key alone is as frequency-revealing as a surname.
    Name keys sort the two Soundex codes, so that swapped name order blocks together.
    """
    given = fields.get("given_name", "").split(" ", 1)[0]
    surname = fields.get("surname", "").split(" ", 1)[0]
    dob = fields.get("date_of_birth", "")
    first, second = soundex(given), soundex(surname)
    names = first + second if first <= second else second + first
    keys: list[str] = []
    if len(dob) == 8:
        keys.append("dob:" + dob)
        if names:
            keys.append(f"names-year:{names}:{dob[:4]}")
            keys.append(f"names-daymonth:{names}:{dob[4:]}")
    postcode, house = fields.get("postcode", ""), fields.get("house_number", "")
    if postcode and house:
        keys.append(f"address:{postcode}:{house}")
    phone = fields.get("phone", "")
    if phone:
        keys.append("phone:" + phone)
    return keys


class HmacSha256:
    """HMAC-SHA256 (RFC 2104) with the padded-key states hashed once.

    Identical output to ``hmac.digest(key, message, "sha256")`` (a test checks this), but
    about three times faster per call, because copying two prepared SHA-256 states avoids
    re-deriving the key schedule; encoding spends most of its time here otherwise.
    """

    _BLOCK = 64

    def __init__(self, key: bytes) -> None:
        if len(key) > self._BLOCK:
            key = hashlib.sha256(key).digest()
        padded = key.ljust(self._BLOCK, b"\x00")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in padded))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in padded))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


@dataclass(frozen=True)
class EncodedBatch:
    filters: Filters  # shape (records, schema.filter_words)
    blocking: list[list[str]]  # per record: hex keyed blocking values


class Encoder:
    """Encodes normalised records with one key.

    Two caches make a run fast: each distinct token is hashed once (its bits kept as a
    packed row), and each distinct field value is turned into the OR of its tokens once
    (names, streets and places repeat a lot). A record is then the OR of at most nine
    value rows, computed for a whole batch with one numpy call.
    """

    _MAX_CACHED_VALUES = 2_000_000  # about 256 MB of value rows; the cache restarts beyond

    def __init__(self, key: bytes, schema: Schema = CURRENT_SCHEMA) -> None:
        self._schema = schema
        self._hmac = HmacSha256(key)
        self._position_mask = schema.filter_bits - 1
        if schema.filter_bits & self._position_mask:
            raise ValueError("filter length must be a power of two")
        self._blocking_cache: dict[str, str] = {}
        self._token_tables: list[dict[str, int]] = [{} for _ in schema.fields]
        self._token_rows: list[npt.NDArray[np.uint8]] = []
        self._reset_values()

    def _reset_values(self) -> None:
        # Value row 0 is empty, so that a record with every field blank still has a filter.
        self._value_tables: list[dict[str, int]] = [{} for _ in self._schema.fields]
        self._value_matrix = np.zeros((1, self._schema.filter_words), dtype=np.uint64)

    def _mac(self, message: bytes) -> bytes:
        return self._hmac.digest(message)

    def _positions(self, label: str, token: str, count: int) -> list[int]:
        """``count`` independent bit positions: 16 per digest, from 2-byte slices."""
        positions: list[int] = []
        round_number = 0
        while len(positions) < count:
            digest = self._mac(f"{label}\x1f{token}\x1f{round_number}".encode())
            slices = np.frombuffer(digest, dtype="<u2") & self._position_mask
            positions.extend(int(value) for value in slices)
            round_number += 1
        return positions[:count]

    def _token_id(self, field_number: int, token: str) -> int:
        index = self._token_tables[field_number].get(token)
        if index is not None:
            return index
        spec = self._schema.fields[field_number]
        bits = np.zeros(self._schema.filter_bits, dtype=bool)
        bits[self._positions(spec.label, token, spec.hashes)] = True
        self._token_rows.append(np.packbits(bits, bitorder="little"))
        index = len(self._token_rows) - 1
        # Fields with the same label and weight share tokens (given name/surname swap).
        for other, table in zip(self._schema.fields, self._token_tables, strict=True):
            if (other.label, other.hashes) == (spec.label, spec.hashes):
                table[token] = index
        return index

    def _add_values(self, pending: list[tuple[int, str]]) -> None:
        """Compute the rows of new field values in one vectorised OR."""
        token_ids: list[int] = []
        offsets: list[int] = []
        for field_number, value in pending:
            offsets.append(len(token_ids))
            tokens = _part_tokens(self._schema.fields[field_number], value)
            known = self._token_tables[field_number].get
            ids = [known(token) for token in tokens]
            if None in ids:
                ids = [self._token_id(field_number, token) for token in tokens]
            token_ids.extend(ids)  # type: ignore[arg-type]
        token_matrix = np.ascontiguousarray(np.stack(self._token_rows)).view(np.uint64)
        rows = np.bitwise_or.reduceat(
            token_matrix[np.asarray(token_ids, dtype=np.intp)], offsets, axis=0
        )
        self._value_matrix = np.concatenate([self._value_matrix, rows])

    def _value_ids(self, records: Sequence[Mapping[str, str]]) -> tuple[list[int], list[int]]:
        """Flat value-row ids of all records (unknown values numbered now, added after).

        The hottest loop of encoding, hence written out plainly.
        """
        flat: list[int] = []
        offsets: list[int] = []
        pending: list[tuple[int, str]] = []
        next_id = len(self._value_matrix)
        fields = [
            (number, spec.field, table, _cache_splitter(spec))
            for number, (spec, table) in enumerate(
                zip(self._schema.fields, self._value_tables, strict=True)
            )
        ]
        for record in records:
            offsets.append(len(flat))
            flat.append(0)
            for number, field, table, split in fields:
                value = record.get(field)
                if not value:
                    continue
                parts = split(value) if split else (value,)
                for part in parts:
                    index = table.get(part)
                    if index is None:
                        index = table[part] = next_id
                        next_id += 1
                        pending.append((number, part))
                    flat.append(index)
        if pending:
            self._add_values(pending)
        return flat, offsets

    def _flip(self, filters: Filters) -> Filters:
        flips = self._schema.flipped_bits
        if flips == 0 or len(filters) == 0:
            return filters
        # The unflipped filter is already a keyed function of the record, so a fast
        # unkeyed mix of its words is as unpredictable to an outsider as an HMAC would be,
        # and it is deterministic per record.
        state = np.zeros(len(filters), dtype=np.uint64)
        for word in range(filters.shape[1]):
            state = _mix64(state ^ filters[:, word])
        positions = np.empty((len(filters), flips), dtype=np.int64)
        for flip in range(flips):
            state = _mix64(state + _GOLDEN)
            positions[:, flip] = (state >> np.uint64(40)).astype(np.int64) & self._position_mask
        mask = np.zeros((len(filters), self._schema.filter_bits), dtype=bool)
        mask[np.arange(len(filters))[:, None], positions] = True
        packed = np.packbits(mask, axis=1, bitorder="little").view(np.uint64)
        return np.bitwise_xor(filters, packed)

    def _blocking_values(self, records: Sequence[Mapping[str, str]]) -> list[list[str]]:
        cache = self._blocking_cache
        mac = self._hmac.digest
        prefix = f"block\x1f{self._schema.schema_id}\x1f"
        blocking = []
        for record in records:
            values = []
            for plaintext in blocking_plaintexts(record):
                value = cache.get(plaintext)
                if value is None:
                    value = cache[plaintext] = mac((prefix + plaintext).encode())[:8].hex()
                values.append(value)
            blocking.append(values)
        return blocking

    def encode(self, records: Sequence[Mapping[str, str]]) -> EncodedBatch:
        """Encode normalised records (canonical field → normalised value)."""
        parts = [
            self._encode_batch(records[i : i + _BATCH]) for i in range(0, len(records), _BATCH)
        ]
        if not parts:
            return EncodedBatch(np.zeros((0, self._schema.filter_words), np.uint64), [])
        filters = np.concatenate([part.filters for part in parts])
        blocking = [values for part in parts for values in part.blocking]
        return EncodedBatch(filters, blocking)

    def _encode_batch(self, records: Sequence[Mapping[str, str]]) -> EncodedBatch:
        if len(self._value_matrix) > self._MAX_CACHED_VALUES:
            self._reset_values()
        flat, offsets = self._value_ids(records)
        filters = np.bitwise_or.reduceat(
            self._value_matrix[np.asarray(flat, dtype=np.intp)], offsets, axis=0
        )
        blocking = self._blocking_values(records)
        if len(self._blocking_cache) > self._MAX_CACHED_VALUES:
            self._blocking_cache.clear()
        return EncodedBatch(self._flip(filters), blocking)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix64(values: Filters) -> Filters:
    """SplitMix64's finaliser, vectorised: a fast bijective 64-bit mixer."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))
