"""The network's registration with privacy/ (registry.py): the participants of activities.

A participant's name and function identify a professional (encrypted at rest, with a keyed
hash of the name to recognise the same person across activities). They are kept for the
reach and the refresher list: the refresher is due 24 months after a training
(reach.REFRESHER_MONTHS), so a registration is kept three years after its activity, long
enough to see who needs one and for a year of questions about it, then removed. Members
of the public are never named (a count on the activity). Activities hold no personal data.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inbeeld.network.models import Participant
from inbeeld.privacy.registry import PersonalDataKind, registry
from inbeeld.privacy.retention import RetentionRule

PARTICIPANTS = _("Participants of network activities (name, function, organisation, attendance)")
KEEP_DAYS = 3 * 365 + 1

registry.register(
    PersonalDataKind(
        model=Participant,
        label=PARTICIPANTS,
        about=_(
            "Professionals registered for a training, awareness session or meeting of the "
            "network, and whether they attended. They see and correct their registration "
            "through the ketenregisseur, who removes it when they ask (AVG art. 15-17)."
        ),
        retention=(
            RetentionRule(
                "network_participant",
                PARTICIPANTS,
                "network.Participant",
                "activity__starts_at",
                "activity__region",
                KEEP_DAYS,
            ),
        ),
    )
)
