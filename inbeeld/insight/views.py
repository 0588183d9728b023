"""Pages for uploading encoded lists and for linking them into an overlap and an estimate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inbeeld.accounts.access import staff_user_of
from inbeeld.insight import access, services
from inbeeld.insight.charts import upset_data_uri
from inbeeld.insight.forms import EncodedListUploadForm, LinkageRunForm
from inbeeld.web.decorators import role_required


@role_required(*access.INSIGHT_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    context = {
        "lists": access.encoded_lists_visible_to(user),
        "runs": access.linkage_runs_visible_to(user)[:20],
        "may_upload": access.upload_organisations(user).exists(),
        "may_link": access.analysis_regions(user).exists(),
        "run_form": LinkageRunForm(regions=access.analysis_regions(user)),
    }
    return render(request, "insight/overview.html", context)


@role_required(*access.UPLOAD_ROLES)
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
            )
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


@role_required(*access.ANALYSE_ROLES)
def run_create(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = LinkageRunForm(request.POST or None, regions=access.analysis_regions(user))
    if request.method == "POST" and form.is_valid():
        try:
            run = services.linkage_run_create(
                user=user, region=form.cleaned_data["region"], year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("insight:run_detail", run_id=run.pk)
    return render(request, "insight/run_form.html", {"form": form})


@role_required(*access.ANALYSE_ROLES)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.linkage_run_get(user=staff_user_of(request), run_id=run_id)
    histories = [(pattern, count) for pattern, count in run.histories]
    context = {
        "run": run,
        "people": sum(count for _pattern, count in histories),
        "list_sizes": [
            (name, sum(count for pattern, count in histories if pattern[index]))
            for index, name in enumerate(run.sources)
        ],
        "chart": upset_data_uri(run.sources, histories, title=_("People per combination of lists")),
        "estimation": run.estimation,
    }
    return render(request, "insight/run_detail.html", context)
