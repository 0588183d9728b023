"""The case table's registration with privacy/ (registry.py): what happens to a meeting.

Retention (docs/privacy.md, "The case table"): a meeting with everything recorded at it
(agenda, notes, decisions, roles, attendance, occasional attendees and their statement,
minutes sent) is removed five years after it was planned, as a closed case is; a region may
set another period. An item goes earlier when its signal or case is removed (the database
cascades; its actions go with it through tasks/registry.py). The shares a decision made are
privacy/'s own records and follow privacy/'s rules.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from inbeeld.casetable.models import Meeting
from inbeeld.privacy.registry import PersonalDataKind, Related, registry
from inbeeld.privacy.retention import RetentionRule

# Five years (docs/privacy.md): as long as a closed case, so that a revisited decision and
# the follow-up of a case can still be traced back to the table that decided it.
MEETING_DAYS = 1826
GO_WITH_MEETING = gettext_lazy("Removed with their meeting.")

RULES = (
    RetentionRule(
        "casetable_meeting",
        gettext_lazy("Meetings of the case table"),
        "casetable.Meeting",
        "created_at",
        "region",
        MEETING_DAYS,
    ),
)
RELATED = (
    Related(
        "casetable.AgendaItem",
        gettext_lazy("Agenda items of the case table, with their notes"),
        gettext_lazy("Removed with their meeting, or earlier with their signal or case."),
    ),
    Related("casetable.Decision", gettext_lazy("Decisions of the case table"), GO_WITH_MEETING),
    Related(
        "casetable.DecisionRole",
        gettext_lazy("Partners' roles in a decision"),
        gettext_lazy("Removed with their decision; the share keeps privacy's own rules."),
    ),
    Related("casetable.Invitation", gettext_lazy("Invitations to a meeting"), GO_WITH_MEETING),
    Related("casetable.Attendance", gettext_lazy("Attendance at a meeting"), GO_WITH_MEETING),
    Related(
        "casetable.Guest",
        gettext_lazy("Occasional attendees and the confidentiality statement they accepted"),
        GO_WITH_MEETING,
    ),
    Related("casetable.MinutesSent", gettext_lazy("Minutes sent"), GO_WITH_MEETING),
)

MEETINGS = registry.register(
    PersonalDataKind(
        model=Meeting,
        label=gettext_lazy("Meetings of the case table"),
        about=gettext_lazy(
            "The regional case table: agenda, notes, decisions, actions and who was present."
        ),
        retention=RULES,
        related=RELATED,
    )
)
