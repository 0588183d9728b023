"""Plaintext deduplication within one organisation: Fellegi-Sunter on Splink (DuckDB).

Inside one organisation the names may be used, so there is no reason for Bloom filters:
a maintained probabilistic-linkage engine does better. Splink estimates the model without
labelled data (u by random sampling, m by expectation maximisation) and clusters the
pairwise predictions. The same settings run on Splink's Spark backend for national
volumes; only the ``DuckDBAPI`` below changes (see docs/linkage.md).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from inbeeld.lib import safe_csv
from inbeeld.linkage.errors import LinkageInputError
from inbeeld.linkage.files import PersonRecords, atomic_writer, read_person_csv

ID = "unique_id"
_MIN_RECORDS = 3


# Per canonical field: Splink comparison and its arguments. Dates are compared as strings,
# because normalisation keeps typos such as 19450493 that a date parser would reject.
_COMPARISONS: dict[str, tuple[str, tuple[object, ...]]] = {
    "given_name": ("NameComparison", ()),
    "surname": ("NameComparison", ()),
    "date_of_birth": ("LevenshteinAtThresholds", ([1, 2],)),
    "gender": ("ExactMatch", ()),
    "street": ("LevenshteinAtThresholds", ([2],)),
    "house_number": ("ExactMatch", ()),
    "postcode": ("LevenshteinAtThresholds", ([1],)),
    "place": ("LevenshteinAtThresholds", ([2],)),
    "phone": ("LevenshteinAtThresholds", ([1],)),
}


def _comparisons(columns: Sequence[str]) -> list[Any]:
    import splink.comparison_library

    library: Any = splink.comparison_library
    return [
        getattr(library, name)(field, *arguments)
        for field, (name, arguments) in _COMPARISONS.items()
        if field in columns
    ]


def _blocking_rules(columns: Sequence[str]) -> list[Any]:
    from splink import block_on

    wanted = [
        ("date_of_birth",),
        ("surname", "given_name"),
        ("postcode", "house_number"),
        ("phone",),
        ("surname", "place"),
    ]
    return [block_on(*fields) for fields in wanted if all(field in columns for field in fields)]


def dedupe_records(records: PersonRecords, *, threshold: float) -> list[int]:
    """Cluster number (1-based, in order of first appearance) of every record."""
    import pandas as pd
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pd.DataFrame(records.fields).replace("", None)
    frame = frame.loc[:, frame.notna().any()]  # a column that is blank everywhere says nothing
    columns = [str(name) for name in frame.columns]
    frame.insert(0, ID, records.ids)
    rules = _blocking_rules(columns)
    if len(records.ids) < _MIN_RECORDS or not rules:
        raise LinkageInputError(
            f"dedupe needs at least {_MIN_RECORDS} records and a date of birth, name, "
            "postcode with house number, or phone column"
        )
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=ID,
        comparisons=_comparisons(columns),
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=False,
    )
    # Splink logs training notes ("m values not fully trained") as warnings; on a
    # partner's small list these are expected and would drown the CLI's one-line output.
    logging.getLogger("splink").setLevel(logging.ERROR)
    import duckdb

    # DuckDB's progress bar would write to the terminal of a command meant to print one line.
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    database = DuckDBAPI(connection)
    linker = Linker(database.register(frame), settings, log_level=logging.ERROR)
    try:
        _train(linker, columns, block_on, len(records.ids))
        predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
        clustered: Any = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        clusters = clustered.as_pandas_dataframe()
    except (ValueError, ZeroDivisionError) as error:
        # Splink's model cannot be estimated on this list (e.g. far too few records).
        raise LinkageInputError(f"Splink could not fit a model to this list: {error}") from error
    cluster_of = dict(
        zip(clusters[ID].astype(str), clusters["cluster_id"].astype(str), strict=True)
    )
    return _number_in_order(records.ids, cluster_of)


def _train(linker: Any, columns: Sequence[str], block_on: Any, records: int) -> None:
    """Unsupervised estimation: λ from strict rules, u by sampling, m by EM on two blocks."""
    strict = [
        rule
        for fields in (
            ("given_name", "surname", "date_of_birth"),
            ("postcode", "house_number", "date_of_birth"),
        )
        if all(field in columns for field in fields)
        for rule in [block_on(*fields)]
    ]
    if strict:
        linker.training.estimate_probability_two_random_records_match(strict, recall=0.7)
    # A list without any exact duplicate gives λ = 0, and Splink then fails on log2(0);
    # assume at least one duplicate pair instead. Splink keeps λ on its settings object
    # and has no public setter.
    settings = linker._settings_obj
    least = 1.0 / max(records * (records - 1) / 2, 1.0)
    if not settings._probability_two_random_records_match > 0:
        settings._probability_two_random_records_match = least
    linker.training.estimate_u_using_random_sampling(max_pairs=1_000_000, seed=1)
    for fields in (("date_of_birth",), ("surname",), ("postcode",)):
        if all(field in columns for field in fields):
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*fields), fix_probability_two_random_records_match=bool(strict)
                )
            except Exception as error:  # Splink raises plain exceptions when a block is too small
                logging.getLogger(__name__).info("EM on %s skipped: %s", fields, error)


def _number_in_order(ids: Sequence[str], cluster_of: Mapping[str, str]) -> list[int]:
    numbers: dict[str, int] = {}
    result = []
    for record_id in ids:
        cluster = cluster_of.get(record_id, f"single:{record_id}")
        result.append(numbers.setdefault(cluster, len(numbers) + 1))
    return result


def dedupe_file(
    source: Path,
    *,
    out: Path,
    field_map: Mapping[str, str],
    id_column: str | None,
    threshold: float,
) -> int:
    """Write ``cluster_id,record_id`` for every record; returns the number of clusters."""
    if not 0.0 < threshold < 1.0:
        raise LinkageInputError(f"--threshold {threshold}: must be a probability in (0, 1)")
    records = read_person_csv(source, field_map=field_map, id_column=id_column)
    try:
        clusters = dedupe_records(records, threshold=threshold)
    except LinkageInputError as error:
        raise LinkageInputError(str(error), path=str(source)) from error
    with atomic_writer(out) as handle:
        writer = safe_csv.writer(handle, lineterminator="\n")
        writer.writerow(("cluster_id", "record_id"))
        writer.writerows(sorted(zip(clusters, records.ids, strict=True)))
    return len(set(clusters))
