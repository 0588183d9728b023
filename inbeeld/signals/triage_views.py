"""Staff pages for notes, assignments and tips on a signal; the rules live in triage.py.

The forms sit in panels on the signal page and post here. When input is wrong, the form is
shown again on its own page with the errors at the fields and what was typed kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import ShareKind
from inbeeld.privacy.sharing import PURPOSE_MAX_LENGTH, shares_for
from inbeeld.signals import access, case_table, triage
from inbeeld.signals.models import NoteKind, Signal


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=NoteKind.choices, initial=NoteKind.NOTE
    )
    text = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    source = forms.CharField(
        label=gettext_lazy("Source of the information"),
        required=False,
        max_length=triage.NOTE_SOURCE_MAX_LENGTH,
        help_text=gettext_lazy("Needed for enrichment, e.g. an organisation or a register."),
    )


class ShareGroundForm(forms.Form):
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis"),
        choices=[("", gettext_lazy("Choose the legal basis")), *LegalBasis.choices],
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=PURPOSE_MAX_LENGTH)


class AssignForm(ShareGroundForm):
    to_user = UserChoiceField(label=gettext_lazy("Assign to"), queryset=User.objects.none())
    field_order = ["to_user", "legal_basis", "purpose"]

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_user"]
        field.queryset = triage.assignable_users(signal)


class TipForm(ShareGroundForm):
    to_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Pass to"), queryset=Organisation.objects.none()
    )
    text = forms.CharField(
        label=gettext_lazy("The tip"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20000,
        help_text=gettext_lazy(
            "Without the reporter's identity. Check the description for names, addresses or "
            "numbers of the reporter and remove them."
        ),
    )
    field_order = ["to_organisation", "text", "legal_basis", "purpose"]

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_organisation"]
        field.queryset = triage.tip_recipients(signal)


def panel_context(*, signal: Signal, user: User, may_triage: bool) -> dict[str, Any]:
    """What the notes and sharing panels of the signal page show."""
    shares = shares_for(signal)
    return {
        "notes": signal.notes.select_related("author"),
        "note_form": NoteForm(),
        "assignments": [s for s in shares if s.kind == ShareKind.ASSIGNMENT],
        "tips": [s for s in shares if s.kind == ShareKind.TIP],
        "assign_form": AssignForm(signal=signal) if may_triage else None,
        "may_pass_tip": may_triage and triage.tip_recipients(signal).exists(),
    }


def _signal(request: HttpRequest, signal_id: int, *, triage_only: bool) -> tuple[User, Signal]:
    user = staff_user_of(request)
    need: access.Need = "triage" if triage_only else "view"
    signal = access.signal_get_for(
        user=user, signal_id=signal_id, purpose=Purpose.TRIAGE, need=need
    )
    return user, signal


def _apply(form: forms.Form, action: Any) -> bool:
    """Run ``action`` on valid input; put service errors on the form's fields."""
    if not form.is_valid():
        return False
    try:
        action()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_POST
@permission_required("signals.handle_signals")
def note_add(request: HttpRequest, signal_id: int) -> HttpResponse:
    user, signal = _signal(request, signal_id, triage_only=False)
    form = NoteForm(request.POST)
    if _apply(form, lambda: triage.note_add(by=user, signal=signal, **form.cleaned_data)):
        messages.success(request, _("Note saved."))
        return redirect("signals:detail", signal_id=signal.pk)
    title = _("Add a note")
    return render(
        request, "signals/panel_form.html", {"signal": signal, "form": form, "title": title}
    )


@require_POST
@permission_required("signals.triage_signals")
def assign(request: HttpRequest, signal_id: int) -> HttpResponse:
    user, signal = _signal(request, signal_id, triage_only=True)
    form = AssignForm(request.POST, signal=signal)
    if _apply(form, lambda: triage.signal_assign(by=user, signal=signal, **form.cleaned_data)):
        messages.success(request, _("Assigned."))
        return redirect("signals:detail", signal_id=signal.pk)
    title = _("Assign")
    return render(
        request, "signals/panel_form.html", {"signal": signal, "form": form, "title": title}
    )


@require_POST
@permission_required("signals.triage_signals")
def unassign(request: HttpRequest, signal_id: int, share_id: int) -> HttpResponse:
    user = staff_user_of(request)
    signal, share = access.signal_assignment_get_for(
        user=user, signal_id=signal_id, share_id=share_id
    )
    triage.signal_unassign(by=user, signal=signal, share=share)
    messages.success(request, _("Assignment ended."))
    return redirect("signals:detail", signal_id=signal.pk)


@permission_required("signals.triage_signals")
def tip(request: HttpRequest, signal_id: int) -> HttpResponse:
    user, signal = _signal(request, signal_id, triage_only=True)
    english = (get_language() or "nl").startswith("en")
    form = TipForm(
        request.POST or None,
        signal=signal,
        initial={"text": triage.tip_draft(signal, english=english)},
    )
    if request.method == "POST" and _apply(
        form, lambda: triage.tip_pass(by=user, signal=signal, **form.cleaned_data)
    ):
        messages.success(request, _("The tip was passed on."))
        return redirect("signals:detail", signal_id=signal.pk)
    return render(request, "signals/tip_form.html", {"signal": signal, "form": form})


@permission_required("signals.view_tips_received")
def tips_received(request: HttpRequest) -> HttpResponse:
    """Tips passed to the user's organisations; showing one is a read of it, audited."""
    user = staff_user_of(request)
    tips = list(triage.tips_received_by(user)[:100])
    if tips:
        audit_record_reads(actor=user, records=tips, purpose=Purpose.TIP_RECEIVED)
    return render(request, "signals/tips_received.html", {"tips": tips})


@permission_required("signals.handle_signals")
def case_table_view(request: HttpRequest) -> HttpResponse:
    items = case_table.case_table_for(staff_user_of(request))
    return render(request, "signals/case_table.html", {"items": items})
