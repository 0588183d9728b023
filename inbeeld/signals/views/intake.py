"""Staff intake: a partner enters a signal with the checklist and attachments; downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.signals import access, attachments
from inbeeld.signals.forms import IntakeForm


@permission_required("signals.handle_signals")
@never_cache
def create(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = IntakeForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            signal, created = attachments.signal_create_with_attachments(
                data=form.signal_input(),
                by=user,
                organisation=form.cleaned_data["organisation"],
                form_token=form.cleaned_data["form_token"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Signal saved."))
            else:
                messages.info(request, _("This signal was already saved."))
            return redirect("signals:detail", signal_id=signal.pk)
    return render(request, "signals/intake_form.html", {"form": form})


@permission_required("signals.handle_signals")
def attachment(request: HttpRequest, signal_id: int, attachment_id: int) -> HttpResponse:
    """The file as a download, never shown inline: its type is the one checked at upload."""
    found = access.signal_attachment_get_for(
        user=staff_user_of(request), signal_id=signal_id, attachment_id=attachment_id
    )
    response = HttpResponse(attachments.attachment_content(found), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=found.file_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: no copy in a shared or browser cache.
    response["Cache-Control"] = "private, no-store"
    return response
