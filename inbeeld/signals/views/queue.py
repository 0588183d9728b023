"""Staff pages: the triage queue and a signal's detail, within need-to-know."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from inbeeld.accounts.access import regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.lib import safe_csv
from inbeeld.signals import access, services
from inbeeld.signals import queue as signal_queue
from inbeeld.signals.concurrency import ConcurrentChangeError
from inbeeld.signals.forms import QueueFilterForm, StatusForm, with_version
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.views.page import current_signal, signal_page
from inbeeld.tasks.services import subjects_with_overdue_tasks

# Signals per batch of the export: the rows of each batch come in a fixed number of queries.
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class Column:
    label: str
    key: str  # the sort key (signals/queue.py SORT_KEYS)
    numeric: bool = False


def _columns() -> list[Column]:
    return [
        Column(_("Code"), "code"),
        Column(_("Received"), "received"),
        Column(_("Days open"), "days", numeric=True),
        Column(_("Municipality"), "municipality"),
        Column(_("Form of exploitation"), "form"),
        Column(_("Minor"), "minor"),
        Column(_("Assigned to"), "assignee"),
        Column(_("Completeness"), "completeness", numeric=True),
        Column(_("Risk score"), "risk", numeric=True),
        Column(_("Status"), "status"),
    ]


def _headers(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    """Each column with the link that sorts on it and, for the sorted one, its direction."""
    headers = []
    for column in _columns():
        ascending = current == column.key
        descending = current == f"-{column.key}"
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{column.key}" if ascending else column.key
        headers.append(
            {
                "column": column,
                "url": "?" + query.urlencode(),
                "aria_sort": "ascending" if ascending else "descending" if descending else "",
            }
        )
    return headers


def _saved_filters(request: HttpRequest) -> list[dict[str, Any]]:
    """The named filters: links that anyone can bookmark or share (they name no person)."""
    saved = [
        (_("All signals"), ""),
        (_("My signals"), "mine=on"),
        (_("Acute"), "acute=on"),
        (_("Waiting for a partner"), f"status={Status.TRANSFERRED}"),
        (_("Minors"), "minor=on"),
    ]
    current = request.GET.copy()
    current.pop("page", None)
    current.pop("sort", None)
    here = current.urlencode()
    return [{"label": label, "query": query, "current": query == here} for label, query in saved]


@permission_required("signals.handle_signals")
def queue(request: HttpRequest) -> HttpResponse:
    """Acute first, then the highest risk, then the newest; filters narrow it down.

    Showing a page is a read of the signals on it: one audit entry names them all.
    """
    user = staff_user_of(request)
    form = QueueFilterForm(request.GET or None, user=user)
    selection = form.selection()
    # Page through ids only, then fetch the page's 50 rows: sorting 100,000 full rows (with
    # their encrypted columns) for every page view is what made the queue slow; the urgency
    # order reads each coordinated region along its index (signals/queue.py queue_page).
    page = signal_queue.queue_page(
        user, selection, signal_queue.page_number(request.GET.get("page"))
    )
    rows = signal_queue.queue_rows(page.ids)
    # The page holds the signals (as before); the rows add what each column shows.
    page.object_list = signal_queue.signals_of(rows)
    if rows:
        audit_record_reads(
            actor=user, records=signal_queue.signals_of(rows), purpose=Purpose.WORK_QUEUE
        )
    # The filters (and order) without the page number: for paging and for the export.
    query = request.GET.copy()
    query.pop("page", None)
    overdue = subjects_with_overdue_tasks(Signal, [signal.pk for signal in page.object_list])
    context = {
        "page": page,
        "rows": rows,
        "form": form,
        "query": query.urlencode(),
        "headers": _headers(request, selection.sort),
        "saved_filters": _saved_filters(request),
        "may_export": user.has_perm("signals.export_queue"),
        "export_query": query.urlencode(),
        "overdue": overdue,
        "count_cap": signal_queue.COUNT_CAP,
    }
    return render(request, "signals/queue.html", context)


@permission_required("signals.handle_signals")
def detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    user = staff_user_of(request)
    signal = access.signal_get_for(user=user, signal_id=signal_id, purpose=Purpose.TRIAGE)
    if request.method != "POST":
        return signal_page(request, user=user, signal=signal)
    if not access.may_triage(user, signal):
        raise Http404
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.signal_status_change(by=user, signal=signal, **form.cleaned_data)
        except ConcurrentChangeError as conflict:
            current = current_signal(user=user, signal_id=signal.pk)
            form = StatusForm(with_version(request.POST, current))
            return signal_page(
                request, user=user, signal=current, status_form=form, conflict=conflict
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Status saved."))
            return redirect("signals:detail", signal_id=signal.pk)
    return signal_page(request, user=user, signal=signal, status_form=form)


def _export_row(row: signal_queue.QueueRow) -> list[object]:
    signal = row.signal
    return [
        signal.receipt_code,
        timezone.localtime(signal.created_at).strftime("%Y-%m-%d %H:%M"),
        row.days_open,
        str(signal.municipality or ""),
        ", ".join(signal.exploitation_form_labels),
        _("yes") if signal.victim_is_minor else _("no"),
        _("yes") if signal.acute else _("no"),
        row.assignee_text,
        f"{row.completeness.filled}/{row.completeness.total}",
        round(signal.risk_score, 1),
        signal.get_status_display(),
    ]


def _export_header() -> list[str]:
    return [
        _("Code"),
        _("Received"),
        _("Days open"),
        _("Municipality"),
        _("Form of exploitation"),
        _("Minor"),
        _("Acute"),
        _("Assigned to"),
        _("Completeness"),
        _("Risk score"),
        _("Status"),
    ]


@permission_required("signals.export_queue")
@never_cache
def queue_export(request: HttpRequest) -> HttpResponse:
    """The filtered queue as a CSV file, the columns the page shows and nothing more.

    Only the signals of the regions the user coordinates (what the queue shows her as a
    chain partner elsewhere stays on the screen). The export is one audit entry per region
    naming every signal in the file.
    """
    user = staff_user_of(request)
    form = QueueFilterForm(request.GET or None, user=user)
    selection = form.selection()
    ids = list(
        signal_queue.queue_signals(user, selection)
        .filter(region__in=regions_where(user, *access.TRIAGE_ROLES))
        .values_list("pk", flat=True)
    )
    # The file is written in Dutch, whatever the page's language: it is for the region's
    # own overview, in the language of the other documents of the case table.
    with translation.override("nl"):
        lines: list[list[object]] = [list(_export_header())]
        for start in range(0, len(ids), EXPORT_CHUNK):
            rows = signal_queue.queue_rows(ids[start : start + EXPORT_CHUNK])
            if rows:
                audit_record_reads(
                    actor=user,
                    records=signal_queue.signals_of(rows),
                    purpose=Purpose.QUEUE_EXPORT,
                    action=Action.EXPORT,
                    detail={"filter": selection.audit_detail()},
                )
            lines.extend(_export_row(row) for row in rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inbeeld-signalen-{stamp}.csv"'
    safe_csv.writer(response).writerows(lines)
    return response
