"""The newsletter's pages: the keepers compose and send (staff), anyone subscribes,
confirms, unsubscribes and reads the archive (public, no login). Rules in newsletter.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.lib.forms import form_errors_add
from inbeeld.network import access, newsletter
from inbeeld.network.forms import IssueForm, SubscribeForm
from inbeeld.network.models import IssueStatus, SubscriberStatus
from inbeeld.regions.models import Region
from inbeeld.signals import throttle

compose_newsletter = permission_required("network.compose_newsletter")

SUBSCRIBE_TRIES_PER_HOUR = 10


# --- the keepers' pages ------------------------------------------------------------------------


@compose_newsletter
def newsletter_index(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    regions = [
        {
            "region": region,
            "counts": newsletter.subscriber_counts(region),
            "issues": list(access.newsletter_issues_kept_by(user).filter(region=region)),
        }
        for region in access.kept_regions(user)
    ]
    return render(request, "network/newsletter_index.html", {"regions": regions})


@compose_newsletter
def issue_create(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = IssueForm(request.POST or None, regions=access.kept_regions(user))
    if request.method == "POST" and form.is_valid():
        try:
            issue = newsletter.issue_create(
                by=user,
                region=form.cleaned_data["region"],
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Draft saved. Check the preview, then send it."))
            return redirect("network:newsletter_issue", issue_id=issue.pk)
    return render(request, "network/newsletter_form.html", {"form": form})


@compose_newsletter
def issue_page(request: HttpRequest, issue_id: int) -> HttpResponse:
    """A draft: its text to change and a preview of the issue as it would go now; a sent
    issue: what went, to how many."""
    user = staff_user_of(request)
    issue = access.newsletter_issue_get_for(user=user, issue_id=issue_id)
    draft = issue.status == IssueStatus.DRAFT
    form = IssueForm(
        request.POST or None,
        initial={"title": issue.title, "introduction": issue.introduction},
    )
    if draft and request.method == "POST" and form.is_valid():
        try:
            newsletter.issue_update(
                by=user,
                issue=issue,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("network:newsletter_issue", issue_id=issue.pk)
    content = newsletter.issue_content(issue.region) if draft else issue.content
    context = {
        "issue": issue,
        "draft": draft,
        "form": form,
        "content": newsletter.shown_content(content),
        "mailable": newsletter.mailable(issue.region).count(),
    }
    return render(request, "network/newsletter_issue.html", context)


@compose_newsletter
@require_POST
def issue_send(request: HttpRequest, issue_id: int) -> HttpResponse:
    user = staff_user_of(request)
    issue = access.newsletter_issue_get_for(user=user, issue_id=issue_id)
    try:
        issue = newsletter.issue_send(by=user, issue=issue)
    except ValidationError:
        messages.error(request, _("This issue was already sent."))
    else:
        messages.success(
            request,
            _("The issue is being sent to %(count)d confirmed subscribers.")
            % {"count": issue.recipients},
        )
    return redirect("network:newsletter_issue", issue_id=issue.pk)


# --- public pages ------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe: the same answer whatever the address's state (no enumeration)."""
    regions = Region.objects.order_by("name")
    chosen = regions.filter(code=request.GET.get("regio", "")).first()
    form = SubscribeForm(
        request.POST or None,
        regions=regions,
        initial={"region": chosen} if chosen else None,
    )
    if request.method == "POST":
        if not throttle.allow(
            request, scope="newsletter", limit=SUBSCRIBE_TRIES_PER_HOUR, window_seconds=3600
        ):
            context = {"form": form, "throttled": True}
            response = render(request, "network/newsletter_subscribe.html", context)
            response.status_code = 429
            response["Retry-After"] = "3600"
            return response
        if form.is_valid():
            try:
                newsletter.subscriber_add(
                    region=form.cleaned_data["region"], email=form.cleaned_data["email"]
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return render(
                    request,
                    "network/newsletter_subscribed.html",
                    {"region": form.cleaned_data["region"], "hours": newsletter.CONFIRM_HOURS},
                )
    return render(request, "network/newsletter_subscribe.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail opens a page with a button: a mail scanner that
    follows the link confirms nothing."""
    subscriber = newsletter.subscriber_to_confirm(token)
    if subscriber is None:
        return render(request, "network/newsletter_confirm.html", {"invalid": True}, status=404)
    done = subscriber.status == SubscriberStatus.CONFIRMED
    if request.method == "POST":
        done = newsletter.subscriber_confirm(subscriber=subscriber)
        if not done:
            return render(request, "network/newsletter_confirm.html", {"invalid": True}, status=404)
    context = {"region": subscriber.region, "done": done, "token": token}
    return render(request, "network/newsletter_confirm.html", context)


@csrf_exempt  # RFC 8058: the mail program POSTs here without a form; the token is the key
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = newsletter.subscriber_to_unsubscribe(token)
    if subscriber is None:
        return render(request, "network/newsletter_unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        newsletter.subscriber_unsubscribe(subscriber=subscriber)
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
    context = {
        "region": subscriber.region,
        "done": subscriber.status == SubscriberStatus.UNSUBSCRIBED,
        "token": token,
    }
    return render(request, "network/newsletter_unsubscribe.html", context)


@login_not_required
@require_safe
def archive(request: HttpRequest, code: str) -> HttpResponse:
    region = Region.objects.filter(code=code.upper()).first()
    if region is None:
        raise Http404
    issues = access.sent_issues(region)
    return render(request, "network/newsletter_archive.html", {"region": region, "issues": issues})


@login_not_required
@require_safe
def archive_issue(request: HttpRequest, code: str, issue_id: int) -> HttpResponse:
    region = Region.objects.filter(code=code.upper()).first()
    issue = access.sent_issues(region).filter(pk=issue_id).first() if region else None
    if issue is None:
        raise Http404
    context = {"issue": issue, "content": newsletter.shown_content(issue.content)}
    return render(request, "network/newsletter_archive_issue.html", context)
