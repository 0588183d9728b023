"""The network's public pages, without login: the agenda of public activities, the
calendar feed per region (iCalendar), and the knowledge page (signal cards, reporting
routes, contact persons who agreed to be listed publicly).

Nothing here shows a participant, a partners-only activity, or a contact person without
their consent (accounts.ContactPerson.listed_publicly); the canary tests hold it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from inbeeld.accounts.directory import active_on, sorted_contacts
from inbeeld.accounts.models import ContactPerson
from inbeeld.network.access import public_activities, public_upcoming
from inbeeld.network.knowledge import REPORTING_ROUTES, signal_cards, target_group_cards
from inbeeld.regions.models import Region

# The feed carries the last months too, so that a calendar keeps what it showed.
FEED_PAST_DAYS = 183


@login_not_required
@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    regions = Region.objects.filter(activities__public=True).distinct().order_by("name")
    chosen = regions.filter(code=request.GET.get("regio", "")).first()
    activities = public_upcoming(chosen).order_by("starts_at", "pk")
    context = {"activities": activities, "regions": regions, "chosen": chosen}
    return render(request, "network/public_agenda.html", context)


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, code: str) -> HttpResponse:
    region = Region.objects.filter(code=code.upper()).first()
    if region is None:
        raise Http404
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    calendar = Calendar()
    calendar.add("prodid", "-//InBeeld//Agenda aanpak mensenhandel//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"InBeeld – {region.name}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    base = str(settings.SITE_URL).rstrip("/")
    for activity in public_activities(region).filter(starts_at__gte=since).order_by("starts_at"):
        event = Event()
        event.add("uid", f"activity-{activity.pk}@inbeeld")
        event.add("dtstamp", activity.updated_at)
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at or activity.starts_at + timedelta(hours=2))
        event.add("summary", activity.title)
        event.add(
            "location", ", ".join(p for p in (activity.place, activity.municipality.name) if p)
        )
        # ORGANIZER is an address in iCalendar; the organising organisation goes in the text.
        organised = _("Organised by %(organiser)s") % {"organiser": activity.organiser.name}
        event.add("description", "\n\n".join(t for t in (activity.description, organised) if t))
        event.add("categories", [activity.get_kind_display()])
        event.add("url", f"{base}{reverse('network:public_agenda')}?regio={region.code}")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{region.code}.ics"'
    return response


@login_not_required
@require_safe
def knowledge(request: HttpRequest) -> HttpResponse:
    cards = signal_cards()
    today = timezone.localdate()
    listed = sorted_contacts(
        list(
            ContactPerson.objects.filter(listed_publicly=True, organisation__active=True)
            .filter(active_on(today))
            .select_related("organisation__region")
            .prefetch_related("municipalities")
        )
    )
    regions: dict[int, dict[str, object]] = {}
    for contact in listed:
        for municipality in contact.municipalities.all():
            region = regions.setdefault(municipality.region_id, {"name": "", "municipalities": {}})
            rows: dict[str, list[ContactPerson]] = region["municipalities"]  # type: ignore[assignment]
            rows.setdefault(municipality.name, []).append(contact)
    names = dict(Region.objects.filter(pk__in=regions).values_list("pk", "name"))
    contacts = [
        {"region": names[pk], "municipalities": sorted(data["municipalities"].items())}  # type: ignore[attr-defined]
        for pk, data in sorted(regions.items(), key=lambda item: names[item[0]])
    ]
    context = {
        "cards": cards,
        "groups": target_group_cards(cards),
        "routes": REPORTING_ROUTES,
        "contacts": contacts,
    }
    return render(request, "network/knowledge.html", context)


@login_not_required
@require_safe
def signal_cards_print(request: HttpRequest) -> HttpResponse:
    """The signal cards, one A4 page per form of exploitation (own print stylesheet)."""
    cards = signal_cards()
    chosen = request.GET.get("vorm", "")
    if chosen:
        cards = [c for c in cards if c.code == chosen] or cards
    return render(
        request, "network/signal_cards_print.html", {"cards": cards, "routes": REPORTING_ROUTES}
    )
