"""Checkpoints: the head of the audit trail, anchored outside the database.

The hash chain shows an edited or removed entry anywhere but at its end: whoever deletes the
newest entries leaves a shorter chain that is still whole, and new entries then simply
follow the last one left. A checkpoint records how many entries there were and the id and
hash of the newest one, with an HMAC under ``AUDIT_KEY``, as one JSON line appended to a
file outside the database (``AUDIT_CHECKPOINT_FILE``). `audit_chain_verify` checks the
table against every checkpoint in that file, so removal back to the last checkpoint shows.

Only someone who holds ``AUDIT_KEY`` can write a line that passes; someone who can rewrite
the file can still remove its newest lines, which is why production keeps it on storage
the application cannot rewrite (docs/configuration.md).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from inbeeld.audit.chain import audit_key

_MAC_LABEL = b"inbeeld audit checkpoint\n"  # a checkpoint's MAC can never pass as an entry's hash
_HEX64 = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Checkpoint:
    at: datetime
    entries: int  # entries in the trail up to and including the head
    head_id: int | None  # None for a checkpoint of the empty trail
    head_hash: str

    def payload(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "entries": self.entries,
            "head_id": self.head_id,
            "head_hash": self.head_hash,
        }


def checkpoint_mac(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(audit_key(), _MAC_LABEL + canonical, hashlib.sha256).hexdigest()


def checkpoint_line(checkpoint: Checkpoint) -> str:
    payload = checkpoint.payload()
    return json.dumps({**payload, "mac": checkpoint_mac(payload)})


def checkpoint_append(path: Path, checkpoint: Checkpoint) -> str:
    """Append one line under an exclusive lock; the file is created readable by its owner only.

    O_APPEND writes at the end whatever else writes too, and is all that a file marked
    append-only (``chattr +a``) allows.
    """
    line = checkpoint_line(checkpoint)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.write(descriptor, (line + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)  # closing releases the lock
    return line


@dataclass
class CheckpointFile:
    exists: bool = False
    checkpoints: list[Checkpoint] = field(default_factory=list)  # valid lines, in file order
    problems: list[str] = field(default_factory=list)  # one per damaged or forged line

    @property
    def newest(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def checkpoints_read(path: Path) -> CheckpointFile:
    """Every line of the file, checked against its MAC; a missing file holds none."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return CheckpointFile()
    except OSError as error:
        return CheckpointFile(True, [], [f"cannot read the checkpoint file: {error.strerror}"])
    result = CheckpointFile(exists=True)
    with handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            checkpoint, problem = _parse(text)
            if checkpoint is not None:
                result.checkpoints.append(checkpoint)
            else:
                result.problems.append(f"checkpoint file line {number} {problem}")
    return result


def _parse(text: str) -> tuple[Checkpoint | None, str]:
    try:
        record = json.loads(text)
        payload = {name: record[name] for name in ("at", "entries", "head_id", "head_hash")}
        checkpoint = Checkpoint(
            at=datetime.fromisoformat(payload["at"]),
            entries=payload["entries"],
            head_id=payload["head_id"],
            head_hash=payload["head_hash"],
        )
        mac = record["mac"]
    except (ValueError, KeyError, TypeError):
        return None, "is not a checkpoint (damaged)"
    if not _well_formed(checkpoint) or not isinstance(mac, str):
        return None, "is not a checkpoint (damaged)"
    if not hmac.compare_digest(mac, checkpoint_mac(payload)):
        return None, "does not match its MAC (edited, forged, or written under another AUDIT_KEY)"
    return checkpoint, ""


def _well_formed(checkpoint: Checkpoint) -> bool:
    counts = type(checkpoint.entries) is int and checkpoint.entries >= 0
    head = checkpoint.head_id is None or type(checkpoint.head_id) is int
    digest = isinstance(checkpoint.head_hash, str) and len(checkpoint.head_hash) == 64
    return (
        counts
        and head
        and digest
        and set(checkpoint.head_hash) <= _HEX64
        and checkpoint.at.tzinfo is not None
    )
