"""Insight's registration with privacy/ (registry.py): the encoded lists partners upload.

Linkage runs hold only counts per capture pattern and the estimate, no encodings: they are
not personal data and are not registered.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inbeeld.insight.models import EncodedList
from inbeeld.privacy.registry import PersonalDataKind, registry
from inbeeld.privacy.retention import RetentionRule

LABEL = _("Encoded lists of partners")

registry.register(
    PersonalDataKind(
        model=EncodedList,
        label=LABEL,
        about=_(
            "Keyed encodings of the presumed victims an organisation knew of in a year: "
            "pseudonymised personal data (docs/linkage.md)."
        ),
        retention=(
            RetentionRule(
                "encoded_list", LABEL, "insight.EncodedList", "uploaded_at", "region", 730
            ),
        ),
    )
)
