"""The FG's view of the audit trail: search per person, record and period, and export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.audit.chain import CHAINED_FIELDS
from inbeeld.audit.forms import AuditSearchForm
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.names import record_names
from inbeeld.audit.selectors import audit_entries_search
from inbeeld.audit.services import audit_record
from inbeeld.lib import safe_csv

# The chained fields plus position and hash: enough to check an export against the chain.
EXPORT_COLUMNS = ("id", *CHAINED_FIELDS, "previous_hash", "entry_hash")


@permission_required("audit.view_trail")
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = AuditSearchForm(request.GET or None)
    entries = audit_entries_search(user=user, search=form.as_filter())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    shown = list(page.object_list)
    # Records by what people call them (a receipt code), the whole page's in one go.
    names = record_names(user=user, entries=shown)
    context = {
        "form": form,
        "page": page,
        "rows": [(entry, names.get(entry.pk, "")) for entry in shown],
        "query": query.urlencode(),
    }
    return render(request, "audit/search.html", context)


@permission_required("audit.view_trail")
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """The same selection as a CSV file; the export itself is recorded in the trail."""
    user = staff_user_of(request)
    form = AuditSearchForm(request.GET or None)
    selection = form.as_filter()
    entries = audit_entries_search(user=user, search=selection)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="audit.auditentry",
        purpose=Purpose.SUPERVISION,
        detail={"filter": {k: str(v) for k, v in vars(selection).items() if v}},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inbeeld-audit-{stamp}.csv"'
    # Purposes and paths are typed by people: a cell must never run as a formula.
    writer = safe_csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow([getattr(entry, column) for column in EXPORT_COLUMNS])
    return response
