"""compose.yaml stays in step with the code: it is checked, though Docker cannot run here."""

from pathlib import Path

import yaml

from shared import config

ROOT = Path(__file__).parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_every_service_folder_has_a_compose_service_running_it():
    services = compose()["services"]
    for folder in (ROOT / "services").iterdir():
        if (folder / "main.py").exists():
            assert services[folder.name]["command"] == ["service", folder.name]


def test_every_upmon_variable_set_for_compose_is_a_setting():
    known = set(config.env_names())
    names = set()
    for svc in compose()["services"].values():
        names |= {k for k in (svc.get("environment") or {}) if k.startswith("UPMON_")}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("UPMON_"):
            names.add(line.split("=", 1)[0])
    assert names and names <= known, names - known
