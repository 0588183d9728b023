"""`inbeeld keys rotate`: re-encrypt every encrypted field under the newest key."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inbeeld.cli._django import keys_checked, setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("keys", help="manage the keys of encryption at rest")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    rotate = actions.add_parser(
        "rotate",
        help="re-encrypt all encrypted values under the first key of FIELD_ENCRYPTION_KEYS "
        "(put the new key first, keep the old ones until this has run)",
    )
    rotate.add_argument(
        "--new-key",
        action="store_true",
        help="embedded mode: first add a freshly generated key to the data folder's key file",
    )
    rotate.set_defaults(handler=run_rotate)


def run_rotate(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings

    from inbeeld.audit.models import Action, Purpose
    from inbeeld.audit.services import audit_record
    from inbeeld.lib.env import embedded_key_list
    from inbeeld.privacy.fingerprints import field_key_fingerprints_after_rotation
    from inbeeld.privacy.keys import embedded_key_add, reencrypt_all

    if args.new_key:
        if settings.PRODUCTION:
            print(
                "inbeeld keys rotate: --new-key is for the embedded mode; in production put "
                "the new key first in FIELD_ENCRYPTION_KEYS",
                file=sys.stderr,
            )
            return 2
        embedded_key_add(settings.DATA_DIR / "field_keys")
        settings.FIELD_ENCRYPTION_KEYS = embedded_key_list(settings.DATA_DIR, "field_keys")
    if not keys_checked("keys rotate"):
        return 2
    audit_record(
        actor=None,
        actor_name="keys rotate",
        action=Action.UPDATE,
        object_type="privacy.encryption",
        purpose=Purpose.KEY_ROTATION,
        detail={"step": "started", "keys": len(settings.FIELD_ENCRYPTION_KEYS)},
    )
    report = reencrypt_all(progress=_progress)
    field_key_fingerprints_after_rotation()
    audit_record(
        actor=None,
        actor_name="keys rotate",
        action=Action.UPDATE,
        object_type="privacy.encryption",
        purpose=Purpose.KEY_ROTATION,
        detail={"step": "finished", "values": report.values, "fields": len(report.fields)},
    )
    print(
        f"re-encrypted {report.values} values in {len(report.fields)} fields "
        f"under the first of {len(settings.FIELD_ENCRYPTION_KEYS)} keys"
    )
    return 0


def _progress(field: str, done: int, total: int) -> None:
    """One line per batch on stderr, so stdout keeps the one-line summary."""
    print(f"  {field}: {done} of {total}", file=sys.stderr, flush=True)
