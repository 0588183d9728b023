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

from inbeeld.network.models import Participant, Subscriber, SubscriberStatus, Unsubscribed
from inbeeld.privacy.registry import Kept, PersonalDataKind, Related, registry
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

# --- The newsletter's subscribers --------------------------------------------------------------
# An e-mail address is kept (encrypted, with a keyed hash) only to send the newsletter: until
# the person unsubscribes, and then 30 days, long enough to answer a question about it; an
# address never confirmed goes 30 days after it was entered. What outlives the address is the
# keyed hash in Unsubscribed, which keeps the promise that it is never mailed again.
SUBSCRIBERS = _("Subscribers to the regional newsletter (e-mail address)")
UNSUBSCRIBED_DAYS = 30
UNCONFIRMED_DAYS = 30
registry.register(
    PersonalDataKind(
        model=Subscriber,
        label=SUBSCRIBERS,
        about=_(
            "Addresses that asked for a region's newsletter (double opt-in: mailed only once "
            "confirmed). Every mail has a link to unsubscribe at once."
        ),
        retention=(
            RetentionRule(
                "newsletter_unsubscribed",
                _("Unsubscribed newsletter addresses"),
                "network.Subscriber",
                "unsubscribed_at",
                "region",
                UNSUBSCRIBED_DAYS,
                condition=(("status", SubscriberStatus.UNSUBSCRIBED),),
            ),
            RetentionRule(
                "newsletter_unconfirmed",
                _("Newsletter addresses never confirmed"),
                "network.Subscriber",
                "created_at",
                "region",
                UNCONFIRMED_DAYS,
                condition=(("status", SubscriberStatus.PENDING),),
            ),
        ),
        kept=(
            Kept(
                _("Kept while the address is subscribed: it is what the newsletter goes to."),
                _("Confirmed subscribers"),
            ),
        ),
        related=(
            Related(
                "network.NewsletterDelivery",
                _("Which issues were mailed to the address"),
                _("Removed with the subscriber."),
            ),
        ),
    )
)
registry.register(
    PersonalDataKind(
        model=Unsubscribed,
        label=_("Unsubscribed newsletter addresses (keyed hash only)"),
        about=_(
            "A keyed hash of an address that unsubscribed, not the address: the only way to "
            "refuse it for good when someone enters it again."
        ),
        kept=(
            Kept(
                _(
                    "Kept for as long as the newsletter exists: removing it would allow the "
                    "address to be mailed again (AVG art. 21(3): no more direct mail after an "
                    "objection)."
                )
            ),
        ),
    )
)
