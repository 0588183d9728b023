"""The reach of the network: how many professionals attended an activity in the last 12 and
24 months, per municipality and per target group; which municipalities and partner
organisations were not reached at all; whose last training is too long ago.

A professional is counted once per window however many activities they attended: the same
organisation and the same name (its keyed hash, Participant.name_index). A professional
counts for the municipality of their organisation where it serves one, otherwise for the
municipality where the activity took place (a decision: the issue is silent). Members of the
public are counted on the activity and show as "general public" of its municipality; they
count as reached, never as people (they are not named, so not told apart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Organisation
from inbeeld.insight.maps import areas_of, choropleth
from inbeeld.network.models import Activity, ActivityKind, Participant, TargetGroup
from inbeeld.regions.models import Municipality, Region

WINDOWS = (12, 24)
REFRESHER_MONTHS = 24


@dataclass
class ReachRow:
    key: str | int
    label: str
    professionals: dict[int, int] = field(default_factory=lambda: dict.fromkeys(WINDOWS, 0))
    public: dict[int, int] = field(default_factory=lambda: dict.fromkeys(WINDOWS, 0))

    @property
    def reached(self) -> bool:
        return self.professionals[max(WINDOWS)] + self.public[max(WINDOWS)] > 0


@dataclass
class Reach:
    region: Region
    on: date
    municipalities: list[ReachRow]
    target_groups: list[ReachRow]
    organisations_not_reached: list[Organisation]
    totals: dict[int, int]

    @property
    def municipalities_not_reached(self) -> list[ReachRow]:
        return [row for row in self.municipalities if not row.reached]


def _since(on: date, months: int) -> date:
    return on - relativedelta(months=months)


def reach(region: Region, *, on: date | None = None) -> Reach:
    day = on or timezone.localdate()
    earliest = _since(day, max(WINDOWS))
    activities = Activity.objects.filter(
        region=region,
        cancelled=False,
        starts_at__date__gt=earliest,
        starts_at__date__lte=day,
    )
    attended = Participant.objects.filter(activity__in=activities, attended=True).values_list(
        "organisation_id",
        "name_index",
        "target_group",
        "organisation__municipality_id",
        "activity__municipality_id",
        "activity__starts_at",
    )
    municipalities = {
        m.pk: ReachRow(m.pk, m.name)
        for m in Municipality.objects.filter(region=region).order_by("name")
    }
    groups = {code: ReachRow(code, str(label)) for code, label in TargetGroup.choices}
    in_place: set[tuple[tuple[int, str], int, int]] = set()
    in_group: set[tuple[tuple[int, str], str, int]] = set()
    people: dict[int, set[tuple[int, str]]] = {w: set() for w in WINDOWS}
    reached_organisations: set[int] = set()
    for organisation_id, index, group, own_municipality, place, starts_at in attended:
        when = timezone.localtime(starts_at).date()
        municipality = own_municipality or place
        person = (organisation_id, index)
        reached_organisations.add(organisation_id)
        for window in WINDOWS:
            if when <= _since(day, window):
                continue
            people[window].add(person)
            if municipality in municipalities and (person, municipality, window) not in in_place:
                in_place.add((person, municipality, window))
                municipalities[municipality].professionals[window] += 1
            if group in groups and (person, group, window) not in in_group:
                in_group.add((person, group, window))
                groups[group].professionals[window] += 1
    for window in WINDOWS:
        public = (
            activities.filter(starts_at__date__gt=_since(day, window), public_attendees__gt=0)
            .values("municipality_id")
            .annotate(total=Sum("public_attendees"))
        )
        for row in public:
            count = int(row["total"])
            if row["municipality_id"] in municipalities:
                municipalities[row["municipality_id"]].public[window] += count
            groups[TargetGroup.GENERAL_PUBLIC].public[window] += count
    organisations_not_reached = list(
        Organisation.objects.filter(region=region, active=True)
        .exclude(pk__in=reached_organisations)
        .order_by("name")
    )
    return Reach(
        region=region,
        on=day,
        municipalities=list(municipalities.values()),
        target_groups=list(groups.values()),
        organisations_not_reached=organisations_not_reached,
        totals={w: len(people[w]) for w in WINDOWS},
    )


@dataclass(frozen=True)
class RefresherDue:
    participant: Participant  # their latest training attended
    last_training: date


def refreshers_due(region: Region, *, on: date | None = None) -> list[RefresherDue]:
    """The professionals of the region's organisations whose latest training attended lies
    more than REFRESHER_MONTHS ago (and who attended none since), by organisation."""
    day = on or timezone.localdate()
    limit = _since(day, REFRESHER_MONTHS)
    trainings = (
        Participant.objects.filter(
            organisation__region=region,
            attended=True,
            activity__kind=ActivityKind.TRAINING,
            activity__cancelled=False,
            activity__starts_at__date__lte=day,
        )
        .select_related("organisation", "activity")
        .order_by("activity__starts_at", "pk")
    )
    latest: dict[tuple[int, str], Participant] = {}
    for participant in trainings:
        latest[(participant.organisation_id, participant.name_index)] = participant
    due = [
        RefresherDue(p, timezone.localtime(p.activity.starts_at).date())
        for p in latest.values()
        if timezone.localtime(p.activity.starts_at).date() <= limit
    ]
    return sorted(
        due, key=lambda d: (d.participant.organisation.name, str(d.participant.name).casefold())
    )


MAP_WINDOW = max(WINDOWS)  # the map shows the same window as "not reached"


def reach_map(found: Reach) -> SafeString:
    """The people reached per municipality (professionals and the public, in MAP_WINDOW
    months) per 100,000 inhabitants, on insight's map (insight/maps.py); a municipality not
    reached gets a fill of its own. The reach table is its text alternative. Nothing is
    hidden: professionals reached are no figures about victims."""
    codes = dict(Municipality.objects.filter(region=found.region).values_list("pk", "code"))
    counts: dict[str, int | None] = {
        codes[int(row.key)]: row.professionals[MAP_WINDOW] + row.public[MAP_WINDOW]
        for row in found.municipalities
        if int(row.key) in codes
    }
    shown, legend = areas_of(counts, found.region)
    title = _("People reached in the last %(months)d months per 100,000 inhabitants") % {
        "months": MAP_WINDOW
    }
    return choropleth(
        shown,
        legend,
        title=title,
        described_by="reach-municipality-table",
        zero_label=_("not reached"),
        hidden_label="",
    )
