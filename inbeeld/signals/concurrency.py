"""Optimistic locking of signals: a change made on an older view of a signal is refused.

Every page that changes a signal sends back the ``Signal.version`` it showed. The service
that makes the change first claims the signal with one conditional UPDATE, inside its own
transaction:

    UPDATE signals_signal SET version = version + 1 WHERE id = %s AND version = <seen>

Exactly one of two people who saw the same version gets the row. On PostgreSQL the second
UPDATE waits for the first transaction's row lock and then finds the new version; on SQLite
(IMMEDIATE transactions, see settings.py) the second transaction starts only after the first
committed. The loser gets ``ConcurrentChangeError`` before anything is written, and the page
shows the current state with the person's own input kept. The winner holds the row until
its transaction ends, so the rest of the change cannot interleave with another.

What counts as a change, per service (see also docs/architecture.md):

* claimed with the version the person saw: status and outcome, assigning and ending an
  assignment, merging and undoing a merge (both signals);
* counted without a claim: notes and enrichment, and the reporter's additions. They only
  add, so they cannot overwrite anything and are never refused, but they change what the
  signal says: a coordinator who decides on the older page is asked to look again;
* counted without a claim, on the row locked by the FG's own step: erasure, restriction and
  lifting it (privacy/subject_rights.py). The FG's decision is checked against the locked,
  current row (erasure_refusal), and a duty under the AVG must not fail because a
  coordinator saved a status a moment earlier; the coordinator's next step is refused.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inbeeld.lib.versioning import version_bump, version_claim
from inbeeld.signals.models import Signal

CONCURRENT_CHANGE = "concurrent_change"


class ConcurrentChangeError(ValidationError):
    """The signal changed after the person's page showed it; nothing was written."""

    def __init__(self, signal_id: int) -> None:
        super().__init__(
            _(
                "Someone else changed this signal in the meantime; your change was not saved. "
                "The page now shows the current state, and anything you entered is still "
                "filled in. Check it and try again."
            ),
            code=CONCURRENT_CHANGE,
        )
        self.signal_id = signal_id


def signal_claim(signal: Signal, *, seen_version: int) -> None:
    """Take ``signal`` for a change if it is still at ``seen_version``, else raise.

    Call it inside the service's transaction, before anything is written. On success the
    row's version is one higher and ``signal`` is reloaded, so the service works on exactly
    what the person saw (no other change can have come between).
    """
    if not version_claim(signal, seen_version=seen_version):
        raise ConcurrentChangeError(signal.pk)


def signals_claim(*seen: tuple[Signal, int]) -> None:
    """:func:`signal_claim` for (signal, version seen) pairs, in id order: two changes that
    claim the same signals then wait for each other instead of deadlocking."""
    for signal, version in sorted(seen, key=lambda pair: pair[0].pk):
        signal_claim(signal, seen_version=version)


def signal_version_bump(signal: Signal) -> None:
    """Count a change that needs no claim (see the module's docstring for which)."""
    version_bump(signal)
