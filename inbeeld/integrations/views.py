"""The functioneel beheerder's page of an organisation's API tokens and webhooks.

A new token or signing secret is shown once, in the answer to the POST that made it (never
in a redirect's URL, a message in the session or a log).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import Organisation
from inbeeld.integrations.forms import TokenForm, WebhookForm
from inbeeld.integrations.scopes import SCOPES
from inbeeld.integrations.tokens import (
    organisation_get_for_manager,
    organisation_token_get_for,
    organisation_token_issue,
    organisation_token_revoke,
    tokens_of,
)
from inbeeld.integrations.webhooks import (
    SIGNATURE_HEADER,
    endpoints_of,
    webhook_endpoint_create,
    webhook_endpoint_get_for,
    webhook_endpoint_remove,
)
from inbeeld.lib.forms import form_errors_add

managers_only = permission_required("integrations.manage")


def _page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    token_form: TokenForm | None = None,
    webhook_form: WebhookForm | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {
        "organisation": organisation,
        "tokens": tokens_of(organisation),
        "endpoints": endpoints_of(organisation),
        "scopes": list(SCOPES.values()),
        "token_form": token_form or TokenForm(),
        "webhook_form": webhook_form or WebhookForm(),
        "signature_header": SIGNATURE_HEADER,
        **extra,
    }
    return render(request, "integrations/organisation.html", context)


@managers_only
def organisation_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    manager = staff_user_of(request)
    organisation = organisation_get_for_manager(user=manager, organisation_id=organisation_id)
    return _page(request, organisation)


@managers_only
@require_POST
def token_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    manager = staff_user_of(request)
    organisation = organisation_get_for_manager(user=manager, organisation_id=organisation_id)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            issued = organisation_token_issue(
                by=manager,
                organisation=organisation,
                name=form.cleaned_data["name"],
                scopes=list(form.cleaned_data["scopes"]),
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            return _page(request, organisation, new_token=issued.token, new_record=issued.record)
    return _page(request, organisation, token_form=form)


@managers_only
@require_POST
def token_revoke(request: HttpRequest, organisation_id: int, token_id: int) -> HttpResponse:
    manager = staff_user_of(request)
    organisation = organisation_get_for_manager(user=manager, organisation_id=organisation_id)
    token = organisation_token_get_for(user=manager, organisation=organisation, pk=token_id)
    organisation_token_revoke(by=manager, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("integrations:organisation", organisation_id=organisation.pk)


@managers_only
@require_POST
def webhook_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    manager = staff_user_of(request)
    organisation = organisation_get_for_manager(user=manager, organisation_id=organisation_id)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            subscribed = webhook_endpoint_create(
                by=manager,
                organisation=organisation,
                url=form.cleaned_data["url"],
                events=list(form.cleaned_data["events"]),
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            return _page(
                request,
                organisation,
                new_secret=subscribed.secret,
                new_endpoint=subscribed.endpoint,
            )
    return _page(request, organisation, webhook_form=form)


@managers_only
@require_POST
def webhook_remove(request: HttpRequest, organisation_id: int, endpoint_id: int) -> HttpResponse:
    manager = staff_user_of(request)
    organisation = organisation_get_for_manager(user=manager, organisation_id=organisation_id)
    endpoint = webhook_endpoint_get_for(user=manager, organisation=organisation, pk=endpoint_id)
    webhook_endpoint_remove(by=manager, endpoint=endpoint)
    messages.success(request, _("Webhook removed; events already waiting are still delivered."))
    return redirect("integrations:organisation", organisation_id=organisation.pk)
