"""`inbeeld keygen|encode|link|dedupe`: privacy-preserving record linkage (docs/linkage.md).

Thin on purpose: parse arguments, call inbeeld.linkage.pipeline, turn bad input into one
line on stderr and exit code 2. numpy, pandas and Splink are imported inside the handlers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keygen = subparsers.add_parser(
        "keygen",
        help="write a new secret linkage key (partners share it; the hub never gets it)",
        description="Write a new random linkage key to a file with mode 0600. "
        "Refuses to overwrite an existing file. Prints only the key's fingerprint.",
    )
    keygen.add_argument("--out", type=Path, required=True, metavar="KEY")
    keygen.set_defaults(handler=_guarded(_run_keygen))

    encode = subparsers.add_parser(
        "encode",
        help="partner side: turn a list of persons into keyed Bloom-filter encodings",
        description="Normalise and encode INPUT.csv into ENCODED.csv, which holds only record "
        "ids, encodings and keyed blocking values. Canonical fields: given_name, surname, "
        "date_of_birth, gender, street, house_number, postcode, place, phone; columns with "
        "these names are used automatically, others are named with --map.",
    )
    encode.add_argument("input", type=Path, metavar="INPUT.csv")
    encode.add_argument("--key-file", type=Path, required=True, metavar="KEY")
    encode.add_argument("--out", type=Path, required=True, metavar="ENCODED.csv")
    encode.add_argument(
        "--id-column", metavar="COL", help="column with the record id (default: row number)"
    )
    encode.add_argument(
        "--map",
        action="extend",
        nargs="+",
        default=[],
        metavar="FIELD=COLUMN",
        help="use COLUMN for FIELD; several pairs after one --map, or --map repeated",
    )
    encode.set_defaults(handler=_guarded(_run_encode))

    link = subparsers.add_parser(
        "link",
        help="hub side: link encoded lists into clusters and capture histories",
        description="Link two or more encoded files. "
        "LINKS.csv has cluster_id,source,record_id,score "
        "with every record in exactly one cluster; HIST.csv is the input of `inbeeld estimate`.",
    )
    link.add_argument("inputs", type=Path, nargs="+", metavar="ENCODED.csv")
    link.add_argument("--out", type=Path, required=True, metavar="LINKS.csv")
    link.add_argument("--histories", type=Path, metavar="HIST.csv")
    link.add_argument(
        "--threshold",
        type=float,
        metavar="T",
        help="Dice threshold (default: estimated from the scores)",
    )
    link.set_defaults(handler=_guarded(_run_link))

    dedupe = subparsers.add_parser(
        "dedupe",
        help="within one organisation: probabilistic deduplication of a plaintext list (Splink)",
        description="Find records of the same person in INPUT.csv with Splink (Fellegi-Sunter, "
        "DuckDB backend). Writes cluster_id,record_id.",
    )
    dedupe.add_argument("input", type=Path, metavar="INPUT.csv")
    dedupe.add_argument("--out", type=Path, required=True, metavar="CLUSTERS.csv")
    dedupe.add_argument("--id-column", metavar="COL")
    dedupe.add_argument("--map", action="extend", nargs="+", default=[], metavar="FIELD=COLUMN")
    dedupe.add_argument(
        "--threshold",
        type=float,
        default=0.9,
        metavar="P",
        help="match probability to cluster at (0.9)",
    )
    dedupe.set_defaults(handler=_guarded(_run_dedupe))


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from inbeeld.linkage.errors import LinkageInputError

        try:
            return run(args)
        except LinkageInputError as error:
            print(f"inbeeld {args.command}: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT

    return handler


def _run_keygen(args: argparse.Namespace) -> int:
    from inbeeld.linkage.keys import key_generate

    fingerprint = key_generate(args.out)
    print(f"wrote {args.out} (fingerprint {fingerprint}); share it only with the partners")
    return 0


def _run_encode(args: argparse.Namespace) -> int:
    from inbeeld.linkage.files import parse_field_map
    from inbeeld.linkage.pipeline import encode_file

    field_map = parse_field_map(args.map)
    count = encode_file(
        args.input,
        key_file=args.key_file,
        out=args.out,
        field_map=field_map,
        id_column=args.id_column,
    )
    print(f"encoded {count} records into {args.out}")
    return 0


def _run_link(args: argparse.Namespace) -> int:
    from inbeeld.linkage.pipeline import link_files

    linkage = link_files(
        args.inputs, out=args.out, histories=args.histories, threshold=args.threshold
    )
    clusters = len({int(c) for clusters in linkage.cluster_of for c in clusters})
    how = "estimated" if linkage.threshold_was_estimated else "given"
    if linkage.threshold_is_fallback:
        how = "default: the scores show no match and non-match modes"
    print(
        f"linked {len(args.inputs)} lists into {clusters} clusters "
        f"(threshold {linkage.threshold}, {how})"
    )
    return 0


def _run_dedupe(args: argparse.Namespace) -> int:
    from inbeeld.linkage.dedupe import dedupe_file
    from inbeeld.linkage.files import parse_field_map

    field_map = parse_field_map(args.map)
    clusters = dedupe_file(
        args.input,
        out=args.out,
        field_map=field_map,
        id_column=args.id_column,
        threshold=args.threshold,
    )
    print(f"found {clusters} distinct persons in {args.input}")
    return 0
