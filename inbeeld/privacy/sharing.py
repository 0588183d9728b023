"""Sharing personal data with another person or organisation, always with a legal basis.

Every app that passes a record on (assigning a signal, passing a tip, inviting a partner to
a case) records it here: to whom, for which purpose, on which ground from the maintained list
in legal_bases.py, by whom and when. The share is audited as Action.SHARE. Consent as the
ground counts only while a consent for the matching scope is in force; the covenant only
towards an organisation that signed the region's version in force (accounts/covenants.py).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.covenants import covenant_share_refusal
from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.privacy.consent import consent_in_force
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share
from inbeeld.regions.models import Region

# The audit entry of a share names a fixed processing purpose, never the purpose a person
# typed: that text may name people, so it stays encrypted on the share, which the entry
# names by id (with its kind, legal basis and recipients) for the FG to look up.
AUDIT_PURPOSE = Purpose.SHARING
PURPOSE_MAX_LENGTH = 300


def _check(
    legal_basis: str,
    purpose: str,
    target: models.Model,
    consent_scope: str,
    recipient: tuple[Region, Organisation | None, User | None],
) -> None:
    errors: dict[str, list[str]] = {}
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = [_("Choose the legal basis for sharing.")]
    elif legal_basis == LegalBasis.CONSENT and not consent_in_force(target, consent_scope):
        errors["legal_basis"] = [
            _("There is no consent in force for this kind of sharing; record it first.")
        ]
    elif legal_basis == LegalBasis.COVENANT:
        region, organisation, user = recipient
        refusal = covenant_share_refusal(region=region, organisation=organisation, user=user)
        if refusal:
            errors["legal_basis"] = [refusal]
    if not purpose.strip():
        errors["purpose"] = [_("Say for which purpose the data is shared.")]
    elif len(purpose.strip()) > PURPOSE_MAX_LENGTH:
        errors["purpose"] = [
            _("Describe the purpose in at most %(limit)d characters.")
            % {"limit": PURPOSE_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def share_record(
    *,
    by: User,
    target: models.Model,
    region: Region,
    kind: str,
    legal_basis: str,
    purpose: str,
    consent_scope: str,
    to_organisation: Organisation | None = None,
    to_user: User | None = None,
    from_organisation: Organisation | None = None,
    content: str = "",
) -> Share:
    """Record one share; ValidationError names the field when the ground or purpose is missing
    (or does not hold: no consent in force, a recipient that did not sign the covenant)."""
    _check(legal_basis, purpose, target, consent_scope, (region, to_organisation, to_user))
    share = Share.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        region=region,
        kind=kind,
        legal_basis=legal_basis,
        purpose=purpose.strip(),
        to_organisation=to_organisation,
        to_user=to_user,
        from_organisation=from_organisation,
        content=content,
        shared_by=by,
    )
    audit_record(
        actor=by,
        action=Action.SHARE,
        target=target,
        purpose=AUDIT_PURPOSE,
        detail={
            "share": share.pk,
            "kind": kind,
            "legal_basis": legal_basis,
            "to_organisation": to_organisation.pk if to_organisation else None,
            "to_user": to_user.pk if to_user else None,
        },
    )
    return share


@transaction.atomic
def share_end(*, by: User, share: Share) -> Share:
    """End a share (e.g. an assignment); the record of it stays."""
    if share.ended_at is None:
        share.ended_at, share.ended_by = timezone.now(), by
        share.save(update_fields=["ended_at", "ended_by"])
        audit_record(
            actor=by,
            action=Action.UPDATE,
            object_type=share.content_type.app_label + "." + share.content_type.model,
            object_id=str(share.object_id),
            region=share.region.code,
            purpose=Purpose.END_OF_SHARE,
            detail={"share": share.pk, "kind": share.kind},
        )
    return share


def shares_for(target: models.Model) -> QuerySet[Share]:
    return Share.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("to_organisation", "to_user", "shared_by", "from_organisation")
