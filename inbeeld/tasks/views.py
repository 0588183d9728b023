"""The task pages: "Mijn taken", marking a task done, and adding a task to a record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.tasks import access, services
from inbeeld.tasks.forms import StatusForm, TaskForm
from inbeeld.tasks.models import Task
from inbeeld.tasks.panel import task_rows
from inbeeld.tasks.registry import subject_kind_by_key

PAGE_SIZE = 50


def _cursor(value: str, show: access.Show) -> tuple[Any, int] | None:
    """The (due or done_at, id) a page continues after, from ``?na=``; nonsense: the start."""
    key, _sep, pk = value.rpartition("_")
    try:
        moment: Any = datetime.fromisoformat(key) if show == "done" else date.fromisoformat(key)
        return moment, int(pk)
    except ValueError:
        return None


def _cursor_of(task: Task, show: access.Show) -> str:
    key = task.done_at.isoformat() if show == "done" and task.done_at else task.due.isoformat()
    return f"{key}_{task.pk}"


@permission_required("tasks.view_tasks")
def mine(request: HttpRequest) -> HttpResponse:
    """My open tasks and my organisations': overdue first, then by due date."""
    user = staff_user_of(request)
    show: access.Show = "done" if request.GET.get("toon") == "afgerond" else "open"
    after = _cursor(request.GET.get("na", ""), show)
    rows = access.my_tasks_page(user, show=show, after=after, size=PAGE_SIZE)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if rows:
        audit_record_reads(actor=user, records=rows, purpose=Purpose.TASKS)
    context = {
        "rows": task_rows(rows),
        "show": show,
        "next": _cursor_of(rows[-1], show) if more else "",
        "first_page": after is None,
    }
    return render(request, "tasks/mine.html", context)


def _back(request: HttpRequest) -> str:
    """Where the person came from (a record's page or "Mijn taken"), never another site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("tasks:mine")


@require_POST
@permission_required("tasks.view_tasks")
def status(request: HttpRequest, task_id: int) -> HttpResponse:
    """Mark a task done (or open it again, or cancel it); htmx swaps in the new row."""
    user = staff_user_of(request)
    task = access.task_get_for(user=user, task_id=task_id, need="change")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose open, done or cancelled."))
        return redirect(_back(request))
    services.task_status_set(task=task, status=form.cleaned_data["status"], by=user)
    if getattr(request, "htmx", False):
        (row,) = task_rows([task])
        return render(request, "tasks/_row.html", {"row": row, "back": _back(request)})
    messages.success(request, _("Task saved."))
    return redirect(_back(request))


@permission_required("tasks.add_tasks")
def add(request: HttpRequest, kind: str, subject_id: int) -> HttpResponse:
    """Give a record (a signal, later a case) a task: who may is the record's app's rule."""
    user = staff_user_of(request)
    subject_kind = subject_kind_by_key(kind)
    if subject_kind is None:
        raise Http404
    subject = subject_kind.get_for(user, subject_id)
    if not user.has_perm("tasks.add_task", subject):
        raise Http404
    region_id = int(subject.region_id)  # type: ignore[attr-defined]
    form = TaskForm(request.POST or None, region_id=region_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(
                subject=subject,
                source=subject_kind.follow_up_source,
                by=user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Task added."))
            return redirect(subject_kind.url(subject))
    context = {
        "form": form,
        "subject_name": subject_kind.describe(subject),
        "subject_url": subject_kind.url(subject),
    }
    return render(request, "tasks/add.html", context)
