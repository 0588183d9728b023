"""Linkage runs as background work: requested at once, done by the worker, shown by state."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.insight import services
from inbeeld.insight.models import EncodedList, LinkageRun
from inbeeld.insight.tasks import linkage_run_task
from inbeeld.insight.tests.encoded import EncodedLists, encoded_lists
from inbeeld.insight.tests.test_insight import partner, upload
from inbeeld.linkage.link import link_lists
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import region, staff_user

pytestmark = pytest.mark.django_db

RUN_CREATE = reverse("insight:run_create")
Q_LIMITS: dict[str, Any] = settings.Q_CLUSTER


@pytest.fixture(scope="module")
def two_lists(tmp_path_factory: pytest.TempPathFactory) -> EncodedLists:
    return encoded_lists(tmp_path_factory.mktemp("lists"), coverage=(0.6, 0.5), people=80)


@pytest.fixture
def coordinator() -> User:
    return staff_user(role=Role.ZORGCOORDINATOR)


@pytest.fixture
def uploaded(two_lists: EncodedLists) -> None:
    for name, data in zip(["Politie", "Veilig Thuis Zeeland"], two_lists.files, strict=True):
        upload(partner(name), data)


def request_run(user: User, capture: Any) -> Any:
    with capture(execute=True):
        return verified_client(user).post(RUN_CREATE, {"region": "VR19", "year": 2025})


def run_page(user: User, run: LinkageRun, *, language: str = "nl") -> str:
    client = verified_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("insight:run_detail", kwargs={"run_id": run.pk})
    return str(client.get(url).content.decode())


def state_of(user: User, run: LinkageRun) -> Any:
    return verified_client(user).get(reverse("insight:run_state", kwargs={"run_id": run.pk}))


def done_run(user: User, *, warnings: list[dict[str, Any]], code: str = "VR19") -> LinkageRun:
    """A finished run as the task stores it, with the given warnings."""
    estimation = {
        "estimate": 120.0,
        "observed": 80,
        "dark_figure": 40.0,
        "interval": [100.0, 150.0],
        "interval_kind": "bca",
        "conditional_interval": [105.0, 140.0],
        "model": ["politie:opvang"],
        "infinite_terms": [],
        "bootstrap": 1000,
        "skipped_replicates": 0,
        "warnings": warnings,
        "seconds": 1.0,
    }
    now = timezone.now()
    return LinkageRun.objects.create(
        region=region(code),
        year=2025,
        created_by=user,
        state=LinkageRun.State.DONE,
        started_at=now,
        finished_at=now,
        sources=["politie", "opvang"],
        labels=["Politie Zeeland-West-Brabant", "Stichting Opvang Zeeland"],
        threshold=0.8,
        threshold_estimated=True,
        histories=[[[1, 0], 40], [[0, 1], 30], [[1, 1], 10]],
        estimation=estimation,
    )


def test_a_requested_run_returns_at_once_queued_and_the_worker_finishes_it(
    coordinator: User, uploaded: None, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    linked: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        linked.append(1)
        return link_lists(*args, **kwargs)

    monkeypatch.setattr("inbeeld.insight.services.link_lists", counted)
    response = request_run(coordinator, django_capture_on_commit_callbacks)
    run = LinkageRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("insight:run_detail", kwargs={"run_id": run.pk})
    # Nothing was linked in the request; the worker has one task for this run.
    assert (run.state, run.histories, run.estimation, linked) == ("queued", [], None, [])
    task = OrmQ.objects.get().task
    assert (task["func"], task["args"]) == ("inbeeld.insight.tasks.linkage_run_task", (run.pk,))
    page = run_page(coordinator, run)
    assert 'data-testid="estimate"' not in page
    assert "Wacht" in page

    assert linkage_run_task(run.pk) == "done"
    run.refresh_from_db()
    assert run.state == "done" and linked == [1]
    assert run.started_at is not None and run.finished_at is not None
    page = run_page(coordinator, run)
    assert 'data-testid="estimate"' in page
    assert "Geschat aantal slachtoffers" in page
    finished = AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(run.pk)).get()
    assert finished.detail["state"] == "done"
    assert sorted(finished.detail["read_lists"]) == sorted(
        EncodedList.objects.values_list("pk", flat=True)
    )


def test_the_page_polls_only_while_the_run_is_unfinished(
    coordinator: User, uploaded: None, django_capture_on_commit_callbacks: Any
) -> None:
    request_run(coordinator, django_capture_on_commit_callbacks)
    run = LinkageRun.objects.get()
    state_url = reverse("insight:run_state", kwargs={"run_id": run.pk})
    page = run_page(coordinator, run)
    assert f'hx-get="{state_url}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert 'aria-live="polite"' in page
    reads = AuditEntry.objects.filter(action=Action.READ, object_id=str(run.pk))
    assert reads.count() == 1  # the page itself
    waiting = state_of(coordinator, run)
    assert waiting.status_code == 200  # keep polling
    assert "Wacht" in waiting.content.decode()
    assert reads.count() == 1  # asking whether it is done reads nothing about people

    linkage_run_task(run.pk)
    finished = state_of(coordinator, run)
    assert finished.status_code == 286  # htmx stops polling, and shows this answer
    assert 'data-testid="estimate"' in finished.content.decode()
    assert reads.count() == 2  # the result, once
    assert "hx-get" not in run_page(coordinator, run)


def test_the_state_fragment_is_refused_to_other_regions_and_roles(coordinator: User) -> None:
    run = done_run(coordinator, warnings=[])
    elsewhere = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR04")
    assert state_of(elsewhere, run).status_code == 404
    for role in (Role.KETENPARTNER, Role.FG, Role.BEHEERDER):
        assert state_of(staff_user(role=role), run).status_code == 404
    assert state_of(staff_user(role=Role.ONDERZOEKER), run).status_code == 286


def test_lists_without_an_estimate_give_a_done_run_that_says_why(
    coordinator: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # Different people on each list, encoded with one key: nobody in common, no estimate.
    police = encoded_lists(tmp_path, coverage=(0.6,), people=40, seed=3)
    key = tmp_path / "region.key"
    other = encoded_lists(tmp_path, coverage=(0.6,), people=40, seed=4, key_file=key)
    upload(partner("Politie"), police.files[0])
    upload(partner("Opvang"), other.files[0])
    request_run(coordinator, django_capture_on_commit_callbacks)
    run = LinkageRun.objects.get()
    linkage_run_task(run.pk)
    run.refresh_from_db()
    assert (run.state, run.problem, run.estimation) == ("done", "no_estimate", None)
    page = run_page(coordinator, run)
    assert "Met deze lijsten is geen schatting mogelijk" in page
    assert "Overlap tussen de lijsten" in page  # the overlap is still shown


def test_a_run_that_breaks_fails_with_a_reason_and_logs_no_personal_data(
    coordinator: User,
    uploaded: None,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
    caplog: Any,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("record 17: Jan Jansen, 01-02-1990")

    monkeypatch.setattr("inbeeld.insight.services.link_lists", broken)
    request_run(coordinator, django_capture_on_commit_callbacks)
    run = LinkageRun.objects.get()
    with caplog.at_level(logging.ERROR, logger="inbeeld.insight.services"):
        assert linkage_run_task(run.pk) == "failed"
    run.refresh_from_db()
    assert (run.state, run.problem) == ("failed", "error")
    page = run_page(coordinator, run)
    assert "Een onverwachte fout heeft de koppeling gestopt" in page
    assert "RuntimeError" not in page and "Traceback" not in page and "Jansen" not in page
    assert "RuntimeError" in caplog.text
    assert "Jansen" not in caplog.text
    english = run_page(coordinator, run, language="en")
    assert "An unexpected error stopped the run" in english


def test_a_run_is_taken_by_one_task_only(
    coordinator: User, uploaded: None, django_capture_on_commit_callbacks: Any
) -> None:
    request_run(coordinator, django_capture_on_commit_callbacks)
    run = LinkageRun.objects.get()
    assert linkage_run_task(run.pk) == "done"
    # django-q2 hands a task out again when its worker died before acknowledging it.
    assert linkage_run_task(run.pk) == "skipped"
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(run.pk)).count() == 1


def test_a_second_request_while_a_run_waits_gets_that_run(
    coordinator: User, uploaded: None, django_capture_on_commit_callbacks: Any
) -> None:
    first = request_run(coordinator, django_capture_on_commit_callbacks)
    second = request_run(coordinator, django_capture_on_commit_callbacks)
    assert first["Location"] == second["Location"]
    assert LinkageRun.objects.count() == 1 and OrmQ.objects.count() == 1


def test_a_run_left_running_by_a_stopped_worker_fails_after_the_timeout(
    coordinator: User,
) -> None:
    timeout = timedelta(seconds=Q_LIMITS["timeout"])
    now = timezone.now()
    stuck = LinkageRun.objects.create(
        region=region("VR19"),
        year=2025,
        created_by=coordinator,
        state=LinkageRun.State.RUNNING,
        started_at=now - timeout - services.STALE_MARGIN - timedelta(minutes=1),
    )
    busy = LinkageRun.objects.create(
        region=region("VR19"),
        year=2024,
        created_by=coordinator,
        state=LinkageRun.State.RUNNING,
        started_at=now - timeout + timedelta(minutes=5),
    )
    page = run_page(coordinator, stuck)
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.state, stuck.problem) == ("failed", "stopped")
    assert busy.state == "running"  # still inside the time limit
    assert "De achtergrondverwerking stopte" in page
    assert "hx-get" not in page
    assert linkage_run_task(stuck.pk) == "skipped"  # a late retry does not revive it
    expired = AuditEntry.objects.get(action=Action.UPDATE, object_id=str(stuck.pk))
    assert expired.detail == {"state": "failed", "problem": "stopped"}


def test_a_run_no_worker_picks_up_fails_after_the_retry_time(coordinator: User) -> None:
    waiting = LinkageRun.objects.create(region=region("VR19"), year=2025, created_by=coordinator)
    retry = timedelta(seconds=Q_LIMITS["retry"])
    LinkageRun.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - retry * 2)
    assert services.linkage_runs_expire() == 1
    waiting.refresh_from_db()
    assert (waiting.state, waiting.problem) == ("failed", "not_started")


def test_the_worker_never_starts_a_process_pool(
    coordinator: User, uploaded: None, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    """django-q2's workers are daemonic: a process pool there fails, so the task must not
    ask for one, even where the engines would choose one by themselves."""
    from inbeeld.estimation import bootstrap
    from inbeeld.linkage import similarity

    def no_pool(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("daemonic processes are not allowed to have children")

    for module in (bootstrap, similarity):
        monkeypatch.setattr(module, "ProcessPoolExecutor", no_pool)
    # Make both engines want a pool on any machine when left to decide.
    monkeypatch.setattr(bootstrap, "PARALLEL_SECONDS", 0.0)
    monkeypatch.setattr(bootstrap, "default_workers", lambda: 4)
    monkeypatch.setattr(similarity, "_PARALLEL_FROM", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    request_run(coordinator, django_capture_on_commit_callbacks)
    run = LinkageRun.objects.get()
    assert linkage_run_task(run.pk) == "done"
    run.refresh_from_db()
    assert run.problem == "" and run.estimation is not None


def test_warnings_are_worded_by_code_in_the_pages_language(coordinator: User) -> None:
    run = done_run(
        coordinator,
        warnings=[
            {"code": "few_overlaps", "params": {"count": 7}},
            {"code": "no_overlap", "params": {"first": "politie", "second": "opvang"}},
        ],
    )
    dutch = run_page(coordinator, run)
    assert "Slechts 7 personen staan op meer dan één lijst" in dutch
    assert "Politie Zeeland-West-Brabant en Stichting Opvang Zeeland hebben niemand gemeen" in dutch
    assert "people are on more than one list" not in dutch
    english = run_page(coordinator, run, language="en")
    assert "Only 7 people are on more than one list" in english
    # The model's interaction names organisations too.
    assert "Politie Zeeland-West-Brabant met Stichting Opvang Zeeland" in dutch


def test_the_overview_lists_runs_with_their_state(coordinator: User) -> None:
    done_run(coordinator, warnings=[])
    LinkageRun.objects.create(region=region("VR19"), year=2024, created_by=coordinator)
    page = verified_client(coordinator).get(reverse("insight:overview")).content.decode()
    assert "klaar" in page and "wacht op start" in page
    assert "Politie Zeeland-West-Brabant, Stichting Opvang Zeeland" in page


def test_the_comparison_of_methods_is_worded_on_the_page(coordinator: User) -> None:
    run = done_run(coordinator, warnings=[])
    assert run.estimation is not None
    run.estimation["comparison"] = {
        "methods": [
            {"method": "stepwise", "estimate": 120.0, "interval": [100.0, 150.0],
             "interval_kind": "bca", "warnings": []},
            {"method": "bic", "problem": "not_applicable"},
            {"method": "dga", "problem": "not_applicable"},
            {"method": "lcmcr", "estimate": 240.0, "interval": [170.0, 410.0],
             "interval_kind": "posterior",
             "warnings": [{"code": "cap_reached", "params": {"percent": 7, "cap": 1680}}]},
        ],
        "spread": {"lowest": 120.0, "lowest_method": "stepwise", "highest": 240.0,
                   "highest_method": "lcmcr", "ratio": 2.0, "interval_low": 100.0,
                   "interval_high": 410.0, "intervals_overlap": True},
    }  # fmt: skip
    run.save()
    dutch = run_page(coordinator, run)
    assert "Groepen mensen die verschillen in zichtbaarheid (LCMCR)" in dutch
    assert "niet bij dit aantal lijsten" in dutch
    assert "tussen 120 en 240 slachtoffers" in dutch
    assert "7% van de trekkingen" in dutch and "posterior" in dutch
    english = run_page(coordinator, run, language="en")
    assert "Report the range, not one number" in english
    assert "Noem de bandbreedte" not in english
