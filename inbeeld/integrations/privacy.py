"""Organisation tokens and webhooks with privacy/: they hold no personal data.

A token names an organisation and its own account (``api-token.<key>``, no person); an
endpoint is an organisation's address with a signing secret (encrypted because it is a
secret, not because it is personal); an outbox row names a record by type and id only.
They are kept while the organisation exists: revoked tokens and removed endpoints stay as
the record of who could call in and where events went (the audit trail refers to them).
"""

from __future__ import annotations

from inbeeld.privacy.registry import registry

registry.exclude(
    "integrations.webhookendpoint",
    "an organisation's address and signing secret; encrypted as a secret, no personal data",
)
registry.exclude(
    "integrations.organisationtoken",
    "an organisation's API token (digest) and its own account; no person",
)
registry.exclude(
    "integrations.webhookdelivery",
    "an event for an organisation's endpoint: record type and id only, no personal data",
)
