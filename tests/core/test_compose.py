"""compose.yaml: every service's command names an entry point that exists in the project."""

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def entry_point_exists(command: list[str]) -> bool:
    if command[:2] == ["python", "manage.py"]:
        name = command[2]
        return any((ROOT / app / "management" / "commands" / f"{name}.py").exists()
                   for app in ("immaculaterr", "vault", "recommendations", "observatory", "jobs"))
    if command[0] == "celery":
        app = command[command.index("-A") + 1]
        return importlib.util.find_spec(app) is not None and (ROOT / app / "celery.py").exists()
    return command[0] in {"redis-server", "postgres"}


def test_compose_app_services_have_existing_entry_points():
    services = compose()["services"]
    for name in ("web", "worker", "triggers", "beat"):
        assert entry_point_exists(services[name]["command"]), name


def test_compose_defines_services_volume_secret_and_health():
    doc = compose()
    assert set(doc["services"]) == {"web", "worker", "triggers", "beat", "redis", "postgres"}
    assert doc["services"]["postgres"]["profiles"] == ["postgres"]
    for name in ("web", "worker", "triggers", "beat", "redis"):
        service = doc["services"][name]
        assert service["restart"] == "unless-stopped"
        assert "healthcheck" in service
    web = doc["services"]["web"]
    assert web["environment"]["APP_MASTER_KEY_FILE"] == "/run/secrets/app_master_key"
    assert "app_master_key" in doc["secrets"]
    assert "data:/data" in web["volumes"]


def test_compose_healthchecks_name_existing_entry_points():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        check = services[name]["healthcheck"]["test"][1:]
        if check[:2] == ["python", "manage.py"] or check[0] == "celery":
            assert entry_point_exists(check), name


def test_compose_triggers_have_their_own_consumer():
    """Issue 9 item 12: the poll, sweeper and heartbeat never wait behind jobs."""
    services = compose()["services"]
    assert "--queues=triggers" in services["triggers"]["command"]
    assert "--queues=celery" in services["worker"]["command"]


def test_compose_bogus_command_is_detected():
    assert not entry_point_exists(["python", "manage.py", "no_such_command"])
    assert not entry_point_exists(["celery", "-A", "no_such_app", "worker"])


def test_dockerfile_is_slim_and_non_root():
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in text
    assert "USER immaculaterr" in text
