"""The residence track of a case (verblijf): dated states, each a record; the latest is current.

InBeeld tracks and reminds; the IND decides. A state records what happened (a reflection
period offered by the police or KMar, an aangifte, a B8/3 permit granted or renewed, its end,
continued residence), from which day, who recorded it, and an optional note (encrypted: it
may name people). Records are never changed: a correction is a new state.

The legal background is ../shared/specs/registration.md, "Bedenktijd and residence"; where
it is silent, the comments below say so (and docs/privacy.md, docs/architecture.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.cases.models import Case
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.regions.models import Region


class ResidenceStatus(models.TextChoices):
    # Dutch citizens, and EU/EEA citizens who need no permit: nothing to track.
    NO_ISSUE = "no_issue", _("No residence issue")
    # Offered by the police or KMar at any indication of trafficking (art. 8 Vw 2000); up to
    # three months; removal suspended, lawful residence, shelter and support.
    REFLECTION = "reflection", _("Reflection period offered")
    # An aangifte (or cooperation with the investigation) counts as the application for the
    # temporary permit (art. 3.48 Vb). Witness-reporters start here, without a reflection
    # period. The spec names no term for the IND's decision: no deadline.
    APPLIED = "applied", _("Aangifte or cooperation (application)")
    # The B8/3 temporary permit: valid one year, renewable while investigation and
    # prosecution last. Also granted without aangifte (serious threat, medical limitations,
    # minority, with a police/KMar or medical statement). A renewal is a new PERMIT state.
    PERMIT = "permit", _("B8/3 temporary permit")
    # The permit (or the track) ended: the case was dismissed (sepot) or closed.
    ENDED = "ended", _("Ended")
    # Continued residence on non-temporary humanitarian grounds: possible after a
    # conviction, or after more than three years on a B8/3 permit. The IND decides.
    HUMANITARIAN = "humanitarian", _("Continued residence (non-temporary humanitarian)")
    # Dublin claimants: since August 2019 no reflection period; a permit only if the OM
    # judges their presence necessary for the investigation.
    DUBLIN = "dublin", _("Dublin claimant")
    # EU/EEA citizens: other conditions (the IND's page). The spec does not say which, so
    # InBeeld records the state and sets no deadline, and allows the same next steps as
    # for anyone (see TRANSITIONS).
    EU_EEA = "eu_eea", _("EU/EEA citizen")


class EndReason(models.TextChoices):
    DISMISSED = "dismissed", _("Case dismissed (sepot)")
    CONVICTED = "convicted", _("Case closed with a conviction")
    CLOSED = "closed", _("Case closed otherwise, or no application")


S = ResidenceStatus
# The one table of which state may follow which ("" is a track with no state yet). A state
# not listed after the current one is refused, naming the field. Repeating a state is
# allowed only for the permit (its renewal). The spec is silent on EU/EEA citizens' next
# steps: they may go on as anyone else.
TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({S.NO_ISSUE, S.REFLECTION, S.APPLIED, S.DUBLIN, S.EU_EEA}),
    S.NO_ISSUE: frozenset({S.REFLECTION, S.APPLIED, S.DUBLIN, S.EU_EEA}),
    S.REFLECTION: frozenset({S.APPLIED, S.PERMIT, S.ENDED}),
    S.APPLIED: frozenset({S.PERMIT, S.ENDED}),
    S.PERMIT: frozenset({S.PERMIT, S.ENDED, S.HUMANITARIAN}),
    S.ENDED: frozenset({S.HUMANITARIAN}),
    S.HUMANITARIAN: frozenset(),
    # No reflection period for a Dublin claimant (since August 2019).
    S.DUBLIN: frozenset({S.APPLIED, S.PERMIT, S.ENDED}),
    S.EU_EEA: frozenset({S.NO_ISSUE, S.REFLECTION, S.APPLIED, S.PERMIT, S.ENDED}),
}


class ResidenceState(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="residence_states")
    # The case's region when the state was recorded: the tenant boundary of its audit
    # entries and its reminder tasks (as a referral's).
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    status = models.CharField(_("residence state"), max_length=16, choices=ResidenceStatus.choices)
    start = models.DateField(_("from"))
    end_reason = models.CharField(
        _("how it ended"), max_length=16, choices=EndReason.choices, blank=True
    )
    # May name people (a lawyer, a police officer, the person): encrypted.
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["start", "recorded_at", "pk"]
        verbose_name = _("residence state")
        verbose_name_plural = _("residence states")
        indexes = [models.Index(fields=["case", "-start", "-id"], name="residence_case_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="ended") | models.Q(end_reason=""),
                name="residence_end_reason_only_when_ended",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.status}"
