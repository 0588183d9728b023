"""Consent of a person for one scope: recorded, withdrawn, and asked about by other services.

Generic: a consent points at any record (a signal now, a case later) through its content
type. At most one consent per record and scope is active (not withdrawn) at a time; a
withdrawal is kept, never deleted, so that the history shows when processing had consent.
Every change is audited without personal data: the audit entry names the scope and the
record, never how the consent was given.

Other services ask ``consent_in_force(target, scope)`` before relying on consent as the legal
basis (AVG art. 6 lid 1 sub a), for example when sharing with care partners.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.privacy.models import Consent, ConsentScope

PURPOSE = Purpose.CONSENT
HOW_MAX_LENGTH = 200


def consents_for(target: models.Model) -> QuerySet[Consent]:
    """All consents about ``target``, withdrawn ones included, newest first."""
    return Consent.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )


def consent_in_force(target: models.Model, scope: str, on: date | None = None) -> bool:
    """Whether ``target``'s person had consented to ``scope`` on the date ``on`` (today).

    In force from the day it was given; no longer in force from the day it was withdrawn
    (a withdrawal counts for the whole of its day).
    """
    on = on or timezone.localdate()
    return (
        consents_for(target)
        .filter(scope=scope, given_on__lte=on)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        .exists()
    )


def consent_check(*, target: models.Model, scope: str, given_on: date | None, how: str) -> None:
    """Raise ValidationError naming the field when this consent cannot be recorded."""
    errors: dict[str, list[str]] = {}
    if scope not in ConsentScope.values:
        errors["scope"] = [_("Choose what the consent is for.")]
    elif consents_for(target).filter(scope=scope, withdrawn_on__isnull=True).exists():
        errors["scope"] = [
            _("Consent for this is already registered. Record its withdrawal first.")
        ]
    if given_on is None:
        errors["given_on"] = [_("Enter the date the consent was given.")]
    elif given_on > timezone.localdate():
        errors["given_on"] = [_("The date the consent was given cannot be in the future.")]
    if not how.strip():
        errors["how"] = [_("Say how the consent was given.")]
    elif len(how.strip()) > HOW_MAX_LENGTH:
        errors["how"] = [
            _("Say how the consent was given in at most %(limit)d characters.")
            % {"limit": HOW_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consent_record(
    *, by: User, target: models.Model, scope: str, given_on: date, how: str
) -> Consent:
    """Register a consent given for ``scope``; ValidationError names the field at fault."""
    # Lock the record the consent is about, so that two people recording the same scope at
    # once cannot both pass the check for an active consent.
    type(target)._default_manager.select_for_update().filter(pk=target.pk).first()
    consent_check(target=target, scope=scope, given_on=given_on, how=how)
    consent = Consent.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        scope=scope,
        given_on=given_on,
        how=how.strip(),
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=consent,
        purpose=PURPOSE,
        detail={"scope": scope, "about": target._meta.label_lower, "about_id": target.pk},
    )
    return consent


def withdrawal_check(*, consent: Consent, withdrawn_on: date | None) -> None:
    """Raise ValidationError on ``withdrawn_on`` when this withdrawal cannot be recorded."""
    if consent.withdrawn_on is not None:
        message = _("This consent has already been withdrawn.")
    elif withdrawn_on is None:
        message = _("Enter the date the consent was withdrawn.")
    elif withdrawn_on < consent.given_on:
        message = _("Consent cannot be withdrawn before the date it was given.")
    elif withdrawn_on > timezone.localdate():
        message = _("The date of withdrawal cannot be in the future.")
    else:
        return
    raise ValidationError({"withdrawn_on": [message]})


@transaction.atomic
def consent_withdraw(*, by: User, consent: Consent, withdrawn_on: date) -> Consent:
    """Record that the person withdrew ``consent``; the consent itself is kept as history."""
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    withdrawal_check(consent=current, withdrawn_on=withdrawn_on)
    current.withdrawn_on = withdrawn_on
    current.withdrawal_recorded_by = by
    current.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=PURPOSE,
        detail={"scope": current.scope, "withdrawn": True},
    )
    return current
