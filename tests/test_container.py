"""The container deployment: the Dockerfile passes hadolint and builds a slim image that runs as
a user of its own with no build tools; compose.yaml is a valid Compose file (the Compose
Specification's schema, as check-jsonschema ships it) that runs PostgreSQL, a one-off migration,
then web and worker, with a health check on /readyz and a volume for the database. Where a
Docker engine runs, the image is built and the whole stack started."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
BUILD_TOOLS = ("gcc", "g++", "build-essential", "make", "python3-dev", "libpq-dev")


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def docker_engine() -> bool:
    return shutil.which("docker") is not None and run("docker", "info").returncode == 0


def final_stage(text: str) -> str:
    return re.split(r"^FROM ", text, flags=re.M)[-1]


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    linted = run("hadolint", str(DOCKERFILE))
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_image_is_slim_runs_as_its_own_user_and_carries_no_build_tools() -> None:
    text = DOCKERFILE.read_text()
    final = final_stage(text)
    assert final.startswith("python:3.11-slim")
    assert re.search(r"^USER 10001:10001$", final, re.M), "a numeric, non-root user"
    installed = " ".join(re.findall(r"apt-get install[^\n]*(?:\\\n[^\n]*)*", final))
    assert "libvoikko1" in installed and "voikko-fi" in installed
    assert not [tool for tool in BUILD_TOOLS if re.search(rf"\b{re.escape(tool)}\b", installed)]
    assert "COPY --from=build /opt/verkosto /opt/verkosto" in final
    assert 'CMD ["verkosto", "serve"]' in final


def test_compose_is_a_valid_compose_file() -> None:
    checked = run("check-jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_migrates_once_then_runs_web_and_worker_on_postgres() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert set(services) == {"db", "release", "web", "worker"}
    db, release, web, worker = (services[name] for name in ("db", "release", "web", "worker"))
    assert db["image"].startswith("postgres:")
    assert "database:/var/lib/postgresql/data" in db["volumes"]
    assert "pg_isready" in db["healthcheck"]["test"]
    assert release["command"] == ["verkosto", "db", "upgrade"] and release["restart"] == "no"
    assert release["depends_on"]["db"]["condition"] == "service_healthy"
    for running, command in ((web, "serve"), (worker, "worker")):
        assert running["command"] == ["verkosto", command]
        assert running["depends_on"] == {"release": {"condition": "service_completed_successfully"}}
        assert "@db:5432/verkosto" in running["environment"]["DATABASE_URL"]
    assert any("/readyz" in part for part in web["healthcheck"]["test"])


@pytest.mark.skipif(not docker_engine(), reason="no Docker engine on this machine")
def test_the_image_builds_and_the_stack_comes_up(tmp_path: Path) -> None:
    built = run("docker", "build", "--tag", "verkosto", ".")
    assert built.returncode == 0, built.stderr[-2000:]
    # The stack from a folder of its own, with its own .env, on the image just built.
    shutil.copy(COMPOSE, tmp_path / "compose.yaml")
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-test\nSLACK_SIGNING_SECRET=test\n")
    compose = ("docker", "compose", "--project-directory", str(tmp_path))
    up = run(*compose, "up", "--no-build", "--detach", "--wait")
    try:
        assert up.returncode == 0, up.stderr[-2000:]
        with urllib.request.urlopen("http://127.0.0.1:3000/readyz", timeout=10) as ready:
            assert ready.status == 200
    finally:
        run(*compose, "down", "--volumes")
