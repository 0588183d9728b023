"""Pages for uploading encoded lists and for linking them into an overlap and an estimate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.insight import access, explain, services
from inbeeld.insight.charts import upset_data_uri
from inbeeld.insight.forms import EncodedListUploadForm, LinkageRunForm
from inbeeld.insight.models import LinkageRun

# htmx stops polling when the answer has this status (and still shows its content).
HTMX_STOP_POLLING = 286


@permission_required("insight.view_overview")
def overview(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    services.linkage_runs_expire()
    context = {
        "lists": access.encoded_lists_visible_to(user),
        "runs": access.linkage_runs_visible_to(user)[:20],
        "may_upload": access.upload_organisations(user).exists(),
        "may_link": access.analysis_regions(user).exists(),
        "run_form": LinkageRunForm(regions=access.analysis_regions(user)),
    }
    return render(request, "insight/overview.html", context)


@permission_required("insight.upload_lists")
def upload(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    organisations = access.upload_organisations(user)
    form = EncodedListUploadForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stored = services.encoded_list_upload(
                user=user,
                organisation=data["organisation"],
                year=data["year"],
                data=data["file"].read(services.MAX_UPLOAD_BYTES + 1),
                replace=data["replace"],
            )
        except services.ReplaceUnconfirmedError as error:
            form.offer_replace(error.existing)
            form.add_error("replace", error)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _("Encoded list received: %(count)s records for %(year)s.")
                % {"count": stored.record_count, "year": stored.year},
            )
            return redirect("insight:overview")
    return render(request, "insight/upload.html", {"form": form})


@permission_required("insight.link_lists")
def run_create(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = LinkageRunForm(request.POST or None, regions=access.analysis_regions(user))
    if request.method == "POST" and form.is_valid():
        try:
            run, new = services.linkage_run_request(
                user=user, region=form.cleaned_data["region"], year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not new:
                messages.info(request, _("These lists are already being linked; here is that run."))
            return redirect("insight:run_detail", run_id=run.pk)
    return render(request, "insight/run_form.html", {"form": form})


@permission_required("insight.link_lists")
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _current(access.linkage_run_get(user=staff_user_of(request), run_id=run_id))
    return render(request, "insight/run_detail.html", _run_context(run))


@permission_required("insight.link_lists")
def run_state(request: HttpRequest, run_id: int) -> HttpResponse:
    """The part of the run page that changes, for its htmx poll: polling ends with the run."""
    run = _current(access.linkage_run_state_get(user=staff_user_of(request), run_id=run_id))
    status = HTMX_STOP_POLLING if run.is_finished else 200
    return render(request, "insight/_run_body.html", _run_context(run), status=status)


def _current(run: LinkageRun) -> LinkageRun:
    """The run, failed by now if its worker can no longer be working on it."""
    if not run.is_finished and services.linkage_runs_expire():
        run.refresh_from_db()
    return run


def _run_context(run: LinkageRun) -> dict[str, Any]:
    context: dict[str, Any] = {"run": run, "problem": explain.problem_text(run)}
    if run.state != LinkageRun.State.DONE:
        return context
    histories = [(pattern, count) for pattern, count in run.histories]
    labels = [run.label_of(source) for source in run.sources]
    context |= {
        "people": sum(count for _pattern, count in histories),
        "list_sizes": [
            (label, sum(count for pattern, count in histories if pattern[index]))
            for index, label in enumerate(labels)
        ],
        "chart": upset_data_uri(labels, histories, title=_("People per combination of lists")),
        "estimation": run.estimation,
        "model_terms": explain.model_terms(run),
        "warnings": [
            explain.warning_text(warning, run)
            for warning in (run.estimation or {}).get("warnings", [])
        ],
        "comparison": explain.comparison_rows(run),
        "comparison_reading": explain.comparison_reading(run),
    }
    return context
