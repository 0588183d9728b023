"""Privacy's own registration (registry.py): shares, consents, data-subject requests, and
the audit trail.

The audit trail is registered here rather than in audit/: audit is the floor below privacy
(privacy records its steps with audit_record), so audit cannot import privacy's registry
without an import cycle, and what happens to the trail is a statement, not a rule.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inbeeld.audit.models import AuditEntry
from inbeeld.privacy.models import Consent, DataSubjectRequest, ReceivedRequest, Share
from inbeeld.privacy.registry import Kept, PersonalDataKind, Related, registry

registry.register(
    PersonalDataKind(
        model=Share,
        label=_("Shares"),
        about=_(
            "To whom a record was passed, on which legal basis and for which purpose, and "
            "the text of a passed tip."
        ),
        kept=(
            Kept(
                _(
                    "Kept with the record they are about, also after the share has ended, and "
                    "removed with it. Erasing that record empties the text of a passed tip."
                )
            ),
        ),
    )
)
registry.register(
    PersonalDataKind(
        model=Consent,
        label=_("Consents"),
        kept=(
            Kept(
                _(
                    "Kept with the record they are about, withdrawn ones too (as history), and "
                    "removed with it."
                )
            ),
        ),
    )
)
registry.register(
    PersonalDataKind(
        model=DataSubjectRequest,
        label=_("Data-subject requests"),
        about=_("What the FG did for a person and why: the records by number only."),
        kept=(
            Kept(
                _(
                    "Kept as the account of the requests handled (AVG art. 5(2) and 12); not "
                    "removed automatically."
                )
            ),
        ),
    )
)
registry.register(
    PersonalDataKind(
        model=ReceivedRequest,
        label=_("Requests received from data subjects"),
        about=_(
            "When a request arrived, its kind, the FG's reference to the letter or e-mail and "
            "the answer given; the person's name stays in the letter."
        ),
        kept=(
            Kept(
                _(
                    "Kept as the account of the requests received and of the answer periods "
                    "kept (AVG art. 5(2) and 12(3)); not removed automatically."
                )
            ),
        ),
    )
)
registry.register(
    PersonalDataKind(
        model=AuditEntry,
        label=_("Audit trail"),
        about=_(
            "Who read, changed, shared or was refused which record, when and why: user names "
            "and record numbers, no content."
        ),
        kept=(
            Kept(
                _(
                    "Kept: nothing removes audit entries. The trail is append-only and chained, "
                    "so that no entry can be removed without it showing (inbeeld audit "
                    "verify); a keeping period for the trail itself has not been decided yet. "
                    "Removals by the retention periods are written in it, without their "
                    "content."
                )
            ),
        ),
        related=(
            Related(
                "audit.AuditRecordRef",
                _("Records named by a list read"),
                _("Kept with the audit entry that names them."),
            ),
        ),
    )
)
