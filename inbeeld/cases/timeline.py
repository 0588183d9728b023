"""A case's timeline, computed (never stored): its signals, events, notes, status changes and
participant changes, and what other apps add (sections.py), in chronological order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.cases.models import Case, CaseStatus, EventKind, TraffickingStatus
from inbeeld.cases.participants import case_invites
from inbeeld.cases.sections import case_timeline_sources
from inbeeld.regions.models import Region
from inbeeld.signals.nationality import nationality_name


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # signal | event | note | status | participant, or another app's (sections.py)
    title: str
    text: str = ""
    signal_id: int | None = None
    dated_only: bool = False  # an event known by its day only: show the date, not the time


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


_STATUS_TITLES = {
    "opened": lambda value: _("Case opened"),
    "closed": lambda value: _("Case closed: %(how)s") % {"how": CaseStatus(value).label},
    "reopened": lambda value: _("Case reopened"),
    "trafficking_status": lambda value: (
        _("Trafficking status: %(status)s") % {"status": TraffickingStatus(value).label}
    ),
    "transfer_proposed": lambda value: (
        _("Transfer to %(region)s proposed") % {"region": _region_name(value)}
    ),
    "transfer_accepted": lambda value: (
        _("Case taken over by %(region)s") % {"region": _region_name(value)}
    ),
    "transfer_rejected": lambda value: (
        _("Transfer to %(region)s rejected") % {"region": _region_name(value)}
    ),
}


def _region_name(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return str(region) if region else code


def case_timeline(case: Case) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for link in case.case_signals.select_related("signal"):
        items.append(
            TimelineItem(
                link.signal.created_at,
                "signal",
                _("Signal %(code)s received") % {"code": link.signal.receipt_code},
                signal_id=link.signal_id,
            )
        )
    for event in case.events.select_related("municipality"):
        place = str(event.municipality) if event.municipality else _country_name(event.country)
        title = f"{EventKind(event.kind).label}: {place}"
        at = _start_of(event.start) if event.start else event.created_at
        text = ""
        if event.end:
            text = _("until %(end)s") % {"end": event.end.isoformat()}
        items.append(TimelineItem(at, "event", title, text, dated_only=event.start is not None))
    for note in case.notes.all():
        items.append(TimelineItem(note.created_at, "note", _("Note"), note.text))
    for change in case.changes.all():
        items.append(TimelineItem(change.at, "status", _STATUS_TITLES[change.what](change.value)))
    for share in case_invites(case.pk).select_related("to_organisation"):
        name = str(share.to_organisation or "")
        items.append(
            TimelineItem(share.shared_at, "participant", _("%(name)s invited") % {"name": name})
        )
        if share.ended_at:
            items.append(
                TimelineItem(
                    share.ended_at,
                    "participant",
                    _("%(name)s no longer takes part") % {"name": name},
                )
            )
    for source in case_timeline_sources():
        items.extend(source(case))
    return sorted(items, key=lambda item: item.at)


def _country_name(code: str) -> str:
    return nationality_name(code) if code else ""
