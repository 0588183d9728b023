"""Imports with privacy/ (registry.py).

InBeeld never keeps an imported file: only its keyed digest, who imported it for which
organisation, when, and the counts (ImportRun, no content). What the import made is
registered by its own app (signals, registrations) with that app's retention. A
registration's import key (the partner's reference, as a keyed digest) goes with its
registration: removed with it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from inbeeld.imports.models import ImportRun
from inbeeld.privacy.registry import Kept, PersonalDataKind, Related, registry

IMPORTS = registry.register(
    PersonalDataKind(
        model=ImportRun,
        label=gettext_lazy("Imports of partners' lists"),
        about=gettext_lazy(
            "Who imported or checked a list of signals or registrations, for which "
            "organisation and when, with the file's keyed digest and the counts. Never the "
            "file or any of its rows."
        ),
        kept=(
            Kept(
                gettext_lazy(
                    "Kept as the record of the import, like the audit trail: it holds no "
                    "data of the persons in the list."
                )
            ),
        ),
        related=(
            Related(
                model="imports.ImportedRegistration",
                label=gettext_lazy("Imported registrations' references"),
                statement=gettext_lazy(
                    "The partner's reference as a keyed digest: removed with its registration."
                ),
            ),
        ),
    )
)
