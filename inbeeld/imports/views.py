"""The import pages: choose a file → the dry run's report (counts and every error) →
confirm with the same file → the import's report.

InBeeld does not keep the file between the check and the import (its content is personal
data): confirming asks for the file again, and only the file whose digest the check
recorded is imported. The bytes live in memory for the request (settings: under
FILE_UPLOAD_MAX_MEMORY_SIZE) and are dropped with it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.imports.columns import template_csv
from inbeeld.imports.forms import ImportForm
from inbeeld.imports.models import ImportKind, ImportOutcome, ImportRun
from inbeeld.imports.services import ImportReport, file_digest, import_file, import_organisations

PERMISSIONS = {
    ImportKind.SIGNALS: "imports.import_signals",
    ImportKind.REGISTRATIONS: "imports.import_registrations",
}


@permission_required("imports.import_lists")
def index(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    kinds = [kind for kind, name in PERMISSIONS.items() if user.has_perm(name)]
    runs = ImportRun.objects.filter(created_by=user).select_related("organisation")[:20]
    return render(request, "imports/index.html", {"kinds": kinds, "runs": runs})


@permission_required("imports.import_signals")
def signals(request: HttpRequest) -> HttpResponse:
    return _page(request, ImportKind.SIGNALS)


@permission_required("imports.import_registrations")
def registrations(request: HttpRequest) -> HttpResponse:
    return _page(request, ImportKind.REGISTRATIONS)


@permission_required("imports.import_signals")
def signals_template(request: HttpRequest) -> HttpResponse:
    return _template(ImportKind.SIGNALS)


@permission_required("imports.import_registrations")
def registrations_template(request: HttpRequest) -> HttpResponse:
    return _template(ImportKind.REGISTRATIONS)


def _template(kind: str) -> HttpResponse:
    response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inbeeld-import-{kind}.csv"'
    return response


def _page(request: HttpRequest, kind: str) -> HttpResponse:
    user = staff_user_of(request)
    organisations = import_organisations(user, kind)
    if not organisations:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    report: ImportReport | None = None
    confirm: ImportForm | None = None
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        checked = _checked_run(form.cleaned_data["checked"], user_id=user.pk, kind=kind)
        if checked is not None and (
            checked.organisation_id != organisation.pk or checked.digest != file_digest(data)
        ):
            form.add_error(
                "file",
                _(
                    "This is not the file that was checked. Choose the same file, or check "
                    "this one first."
                ),
            )
        else:
            report = import_file(
                by=user,
                organisation=organisation,
                kind=kind,
                data=data,
                filename=upload.name or "",
                dry_run=checked is None,
            )
            if report.outcome == ImportOutcome.CHECKED and report.created and report.run:
                confirm = ImportForm(
                    initial={"organisation": organisation.pk, "checked": report.run.pk},
                    organisations=organisations,
                )
        del data  # the file's content is not kept: only its digest (in the run)
    issues = [issue.text(_) for issue in report.issues] if report else []
    return render(
        request,
        "imports/import.html",
        {
            "kind": kind,
            "kind_label": ImportKind(kind).label,
            "form": form,
            "confirm": confirm,
            "report": report,
            "issues": issues,
        },
    )


def _checked_run(run_id: int | None, *, user_id: int, kind: str) -> ImportRun | None:
    """The dry run being confirmed: the user's own, of this kind, that could be imported."""
    if run_id is None:
        return None
    run = ImportRun.objects.filter(
        pk=run_id, created_by_id=user_id, kind=kind, outcome=ImportOutcome.CHECKED
    ).first()
    if run is None:
        raise Http404
    return run
