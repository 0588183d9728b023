"""The container image and compose file keep the promises of docs/operations.md ("Containers").

Read as files: CI has no Docker daemon. What is checked is what a change could quietly break:
the user, the read-only root, static files collected at build time, one worker, the secrets
as files, and /metrics kept off the public door.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
INBEELD_SERVICES = ("migrate", "app", "worker")


def dockerfile_stages() -> list[str]:
    return re.split(r"^FROM ", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE)[1:]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def test_the_image_runs_as_a_numeric_non_root_user() -> None:
    final = dockerfile_stages()[-1]
    users = re.findall(r"^USER (\S+)", final, flags=re.MULTILINE)
    assert users, "the final stage names its user"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000  # numeric: Kubernetes' runAsNonRoot can check it


def test_static_files_are_collected_at_build_time_not_at_start() -> None:
    build, final = dockerfile_stages()[0], dockerfile_stages()[-1]
    assert "collectstatic --noinput" in build
    assert "COPY --from=build /opt/static /opt/static" in final
    assert "STATIC_ROOT=/opt/static" in final
    assert "collectstatic" not in final.split("CMD")[-1]


def test_the_build_only_keys_do_not_reach_the_image() -> None:
    final = dockerfile_stages()[-1]
    assert "build-only" not in final
    assert "SECRET_KEY" not in final


def test_inbeeld_containers_run_read_only_without_privileges() -> None:
    services = compose()["services"]
    for name in INBEELD_SERVICES:
        service = services[name]
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert any(m.startswith("/tmp") for m in service["tmpfs"]), name  # noqa: S108
        environment = service["environment"]
        keys = ("SECRET_KEY", "AUDIT_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")
        for key in (*keys, "DATABASE_URL", "METRICS_TOKEN"):
            assert key not in environment, f"{name}: {key} as a file (_FILE), never a value"
            assert environment[f"{key}_FILE"].startswith("/run/secrets/"), name


def test_one_worker_several_servers_and_migrations_first() -> None:
    services = compose()["services"]
    assert services["worker"]["command"] == ["inbeeld", "worker"]
    assert services["worker"]["deploy"]["replicas"] == 1
    assert "--no-worker" in services["app"]["command"]  # the worker is its own service
    for name in ("app", "worker"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_the_proxy_does_not_pass_metrics_on() -> None:
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"^\s*respond /metrics 404", caddyfile, flags=re.MULTILINE)
    assert "TRUSTED_PROXY_COUNT" in caddyfile  # one hop, as compose.yaml sets
    assert compose()["services"]["app"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
