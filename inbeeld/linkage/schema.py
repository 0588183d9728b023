"""The encoding schema: which fields, which q-grams, how many hash functions, how long.

The schema id is written into every row of an encoded file and the hub refuses to link
files with different ids, so a change to anything below needs a new id. The reasoning for
each number is in docs/linkage.md ("Encoding schema").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tokeniser = Literal["bigrams", "digits", "whole"]


@dataclass(frozen=True)
class FieldSpec:
    """How one canonical field contributes to the record-level Bloom filter.

    ``label`` namespaces the hashing: given name and surname share the label "name" so
    that a record with the two swapped still sets the same bits. ``hashes`` is the number
    of bit positions per token — the field's weight in the similarity (Durham et al. 2014).
    """

    field: str
    label: str
    tokeniser: Tokeniser
    hashes: int


@dataclass(frozen=True)
class Schema:
    schema_id: str
    filter_bits: int
    fields: tuple[FieldSpec, ...]
    flipped_bits: int  # keyed random bit flips per record (hardening, see encode.py)

    @property
    def filter_words(self) -> int:
        return self.filter_bits // 64


SCHEMA_V1 = Schema(
    schema_id="inbeeld-clk-v1",
    filter_bits=1024,
    fields=(
        FieldSpec("given_name", "name", "bigrams", 6),
        FieldSpec("surname", "name", "bigrams", 8),
        FieldSpec("date_of_birth", "dob", "digits", 10),
        FieldSpec("gender", "gender", "whole", 3),
        FieldSpec("street", "street", "bigrams", 4),
        FieldSpec("house_number", "house", "whole", 14),
        FieldSpec("postcode", "postcode", "bigrams", 9),
        FieldSpec("place", "place", "bigrams", 4),
        FieldSpec("phone", "phone", "bigrams", 5),
    ),
    flipped_bits=8,
)

SCHEMAS = {SCHEMA_V1.schema_id: SCHEMA_V1}
CURRENT_SCHEMA = SCHEMA_V1
