"""Speed of the shelter capacity overview across all 25 regions, with 2,000 locations and
1,000,000 placements.

    .venv/bin/python bench/placements_bench.py                        # goal size
    .venv/bin/python bench/placements_bench.py --placements 20000     # a small run

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication; ``--postgres`` to
change). The bench creates and drops its own database ``inbeeld_bench_placements`` and a
temporary data folder; it touches no other database. Results go into docs/performance.md,
"## Shelter places and placements".

Goal (issue #14): the capacity overview (``/opvangplekken/``, with the waiting requests per
kind of place) across all 25 regions within 300 ms at the 95th percentile, with 2,000
locations and 1,000,000 placements. For an account with several regions the overview shows
each region's totals per kind of place (one aggregate query, shelter/overview.py
``totals_of``) and links to a region's places per location (``?regio=``, also timed).

Data. In every one of the 25 safety regions four shelter organisations and, over all
regions, ``--locations`` locations (default 2,000, 80 a region) with three kinds of places
each (6,000 rows of PlaceCapacity, a few never confirmed or stale); 200 cases a region;
``--placements`` placements (default 1,000,000) written with COPY over five years, 3 % still
present, a tenth of them transfers; and ``--requests`` placement requests (default 50,000),
5 % still open (the waiting list). Measured: one account that is zorgcoördinator in all 25
regions requests ``/opvangplekken/`` through Django's test client with a verified session
(middleware, session, queries, template), 5 warm-up requests and then ``--requests-timed``
timed ones (p50, p95, max); then the same for the in-, door- en uitstroom page
(``/opvangstroom/``) of one region's coordinator, twelve months from all those placements
(reported, no goal).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from signals_bench import (  # noqa: E402  (after the path above)
    child_in_own_database,
    load_average,
    machine,
    percentile,
)

BENCH_DATABASE = "inbeeld_bench_placements"
OVERVIEW_GOAL_MS = 300.0
KINDS = ("cosm", "regional", "women", "men", "crisis", "youth")
DESTINATIONS = ("own_housing", "supported_housing", "other_shelter", "return", "family", "unknown")
PLACEMENT_COLUMNS = (
    "case_id", "location_id", "region_id", "organisation_id", "kind", "intake", "stay_start",
    "outflow", "destination", "over_capacity", "override_reason", "created_by_id", "created_at",
    "previous_id", "request_id",
)  # fmt: skip
REQUEST_COLUMNS = (
    "case_id", "region_id", "reference", "kind", "urgency", "note", "note_shared",
    "shared_fields", "legal_basis", "status", "age_band", "gender", "created_by_id",
    "created_at",
)  # fmt: skip


def child(args: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from inbeeld.accounts.models import Membership, Organisation, Role, User
    from inbeeld.regions.models import Region
    from inbeeld.testing.clients import verified_client

    call_command("migrate", verbosity=0)
    regions = list(Region.objects.order_by("code"))
    if len(regions) != 25:
        raise RuntimeError(f"expected the 25 safety regions, found {len(regions)}")
    started = time.perf_counter()
    me = User.objects.create(username="bench.coordinator", email="me@example.org")
    one = User.objects.create(username="bench.one", email="one@example.org")
    for person in (me, one):
        TOTPDevice.objects.create(user=person, name="bench", confirmed=True)
    for region in regions:
        office = Organisation.objects.create(region=region, name=f"Zorg {region.code}", type="care")
        Membership.objects.create(user=me, organisation=office, role=Role.ZORGCOORDINATOR)
        if region == regions[0]:
            Membership.objects.create(user=one, organisation=office, role=Role.ZORGCOORDINATOR)
    locations = _locations(args, regions)
    cases = _cases(regions, me)
    _copy_requests(args, regions, cases, me)
    _copy_placements(args, locations, cases, me)
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        tables = ("placements_placement", "placements_placementrequest",
                  "shelter_placecapacity", "shelter_shelterlocation", "cases_case")  # fmt: skip
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would have

    timings: dict[str, list[float]] = {}
    shown_rows = 0
    for label, user, url in (
        ("overview, 25 regions", me, reverse("shelter:overview")),
        (
            "places of one region (?regio=)",
            me,
            f"{reverse('shelter:overview')}?regio={regions[0].code}",
        ),
        ("in-, door- en uitstroom, one region", one, reverse("placements:flow")),
    ):
        client = verified_client(user)
        for _ in range(5):
            client.get(url)
        measured = []
        for _ in range(args.requests_timed):
            begin = time.perf_counter()
            answer = client.get(url)
            measured.append((time.perf_counter() - begin) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"{url} answered {answer.status_code}")
        if label.startswith("overview"):
            shown_regions = answer.content.count(b'data-testid="region-places-link"')
            if shown_regions != 25:
                raise RuntimeError(f"the overview showed {shown_regions} regions")
        if label.startswith("places of one region"):
            shown_rows = answer.content.count(b'data-testid="place-')
            if shown_rows != len(locations) * 3 // 25:
                raise RuntimeError(f"the region's page showed {shown_rows} kinds of places")
        timings[label] = measured
    # The database part of the overview alone (its two aggregate queries), and the process
    # time of the whole page: on a shared machine the wall clock counts others' work too.
    from django.utils import timezone

    from inbeeld.shelter.access import places_in_overview_of
    from inbeeld.shelter.overview import totals_of

    for label, measure in (
        ("overview's queries alone (totals_of)", lambda: totals_of(places_in_overview_of(me),
                                                                   timezone.now())),
        ("overview page, CPU time of this process", None),
    ):  # fmt: skip
        measured = []
        client = verified_client(me)
        for _ in range(args.requests_timed):
            if measure is None:
                begin = time.process_time()
                client.get(reverse("shelter:overview"))
                measured.append((time.process_time() - begin) * 1000)
            else:
                begin = time.perf_counter()
                measure()
                measured.append((time.perf_counter() - begin) * 1000)
        timings[label] = measured
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM placements_placement")
        placements = cursor.fetchone()[0]
    return {
        "server": f"PostgreSQL {server}",
        "locations": len(locations),
        "places": shown_rows,
        "placements": placements,
        "requests": args.requests,
        "fill_seconds": fill_seconds,
        "pages": {
            label: {
                "p50": percentile(v, 0.5),
                "p95": percentile(v, 0.95),
                "max": max(v),
                "n": len(v),
            }
            for label, v in timings.items()
        },
    }


def _locations(args: argparse.Namespace, regions: list[Any]) -> list[tuple[int, int, int, str]]:
    """(location id, region id, organisation id, first kind) of ``--locations`` locations."""
    from django.utils import timezone

    from inbeeld.accounts.models import Organisation, OrganisationType
    from inbeeld.regions.models import Municipality
    from inbeeld.shelter.models import PlaceCapacity, ShelterLocation

    rng = random.Random(14)
    now = timezone.now()
    shelters = {
        region.pk: [
            Organisation.objects.create(
                region=region, name=f"Opvang {region.code} {n}", type=OrganisationType.SHELTER
            )
            for n in range(4)
        ]
        for region in regions
    }
    municipality = {
        region.pk: Municipality.objects.filter(region=region).values_list("pk", flat=True)[0]
        for region in regions
    }
    made = ShelterLocation.objects.bulk_create(
        ShelterLocation(
            organisation=shelters[regions[n % 25].pk][n % 4],
            region=regions[n % 25],
            name=f"Locatie {n}",
            municipality_id=municipality[regions[n % 25].pk],
        )
        for n in range(args.locations)
    )
    places = []
    for location in made:
        for kind in rng.sample(KINDS, 3):
            capacity = rng.randint(2, 30)
            roll = rng.random()
            confirmed = None if roll < 0.02 else now - timedelta(days=10 if roll < 0.07 else 1)
            places.append(PlaceCapacity(location=location, kind=kind, capacity=capacity,
                                        occupied=rng.randint(0, capacity),
                                        confirmed_at=confirmed))  # fmt: skip
    PlaceCapacity.objects.bulk_create(places, batch_size=2000)
    kinds = {p.location_id: p.kind for p in places}
    return [(loc.pk, loc.region_id, loc.organisation_id, kinds[loc.pk]) for loc in made]


def _cases(regions: list[Any], me: Any) -> dict[int, list[int]]:
    from inbeeld.accounts.models import Organisation
    from inbeeld.cases.models import Case

    made: dict[int, list[int]] = {}
    for region in regions:
        office = Organisation.objects.get(region=region, name=f"Zorg {region.code}")
        cases = Case.objects.bulk_create(
            Case(
                region=region,
                reference=f"B{region.code}{n:04d}",
                owner_organisation=office,
                owner=me,
            )
            for n in range(200)
        )
        made[region.pk] = [case.pk for case in cases]
    return made


def _copy_requests(
    args: argparse.Namespace, regions: list[Any], cases: dict[int, list[int]], me: Any
) -> None:
    from django.db import connection
    from django.utils import timezone

    rng = random.Random(15)
    now = timezone.now()
    sql = f"COPY placements_placementrequest ({', '.join(REQUEST_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for n in range(args.requests):
            region = regions[n % 25]
            status = "open" if rng.random() < 0.05 else rng.choice(("accepted", "withdrawn"))
            copy.write_row((
                rng.choice(cases[region.pk]), region.pk, f"OPB{n:08d}", rng.choice(KINDS),
                rng.choice(("crisis", "week", "regular")), "", False, "[]", "avg_6_1_e",
                status, "", "", me.pk, now - timedelta(days=rng.randint(0, 1800)),
            ))  # fmt: skip


def _copy_placements(
    args: argparse.Namespace,
    locations: list[tuple[int, int, int, str]],
    cases: dict[int, list[int]],
    me: Any,
) -> None:
    from django.db import connection
    from django.utils import timezone

    rng = random.Random(16)
    today = timezone.localdate()
    now = timezone.now()
    sql = f"COPY placements_placement ({', '.join(PLACEMENT_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for _n in range(args.placements):
            location, region, organisation, kind = rng.choice(locations)
            intake = today - timedelta(days=rng.randint(0, 1825))
            stay_start = (
                intake - timedelta(days=rng.randint(1, 60)) if rng.random() < 0.1 else intake
            )
            present = rng.random() < 0.03
            outflow = None if present else min(today, intake + timedelta(days=rng.randint(0, 240)))
            destination = "" if present else rng.choice(DESTINATIONS)
            copy.write_row((
                rng.choice(cases[region]), location, region, organisation, kind, intake,
                stay_start, outflow, destination, False, "", me.pk, now, None, None,
            ))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--locations", type=int, default=2_000)
    parser.add_argument("--placements", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--requests-timed", type=int, default=30)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0

    print(f"# InBeeld placements bench — {machine()}")
    print(f"load average before: {load_average()}")
    result = child_in_own_database(__file__, argv, postgres=args.postgres, database=BENCH_DATABASE)
    if result is None:
        return 2
    print(_report(result, io.StringIO()))
    print(f"load average after: {load_average()}")
    return 0 if result["pages"]["overview, 25 regions"]["p95"] < OVERVIEW_GOAL_MS else 1


def _report(result: dict[str, Any], out: io.StringIO) -> str:
    out.write(
        f"{result['server']}, {result['locations']:,} locations with {result['locations'] * 3:,} "
        f"kinds of places ({result['places']:,} in one region), {result['placements']:,} "
        f"placements, {result['requests']:,} "
        f"requests (filled in {result['fill_seconds']:.0f} s)\n\n"
        "| measure | p50 | p95 | max | goal |\n|---|---|---|---|---|\n"
    )
    for label, row in result["pages"].items():
        goal = f"p95 < {OVERVIEW_GOAL_MS:.0f} ms" if label.startswith("overview, 25") else "—"
        out.write(f"| {label} ({row['n']} requests) | {row['p50']:.0f} ms | "
                  f"{row['p95']:.0f} ms | {row['max']:.0f} ms | {goal} |\n")  # fmt: skip
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
