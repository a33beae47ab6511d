"""The shipped alert rules (deploy/prometheus/upmon-rules.yaml) run by promtool over
series scraped from a real upmon: proof that the rules and what upmon exports agree
on names and labels, which a rule test over made-up series cannot give."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.debian_tools import tool

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
RULES = DEPLOY / "prometheus" / "upmon-rules.yaml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "upmon-operations.json"


def panels() -> dict[str, str]:
    """The Prometheus dashboard's query of each panel, by title."""
    dashboard = json.loads(DASHBOARD.read_text())
    return {p["title"]: p["targets"][0]["expr"] for p in dashboard["panels"]}


def series(
    text: str, *, samples: int = 40, ages: Callable[[str], bool] = lambda _: False, **labels: str
) -> list[dict[str, str]]:
    """Each sample of an exposition body as a promtool input series holding its value
    `samples` times, every 15 s, with `labels` (job, instance) added as a scrape would.
    The sample lines `ages` picks are ages: they go on counting the seconds instead."""
    extra = ",".join(f'{k}="{v}"' for k, v in labels.items())
    found = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name_labels, value = line.rsplit(" ", 1)
        if "{" in name_labels:
            name, rest = name_labels.split("{", 1)
            inside = rest[:-1]
        else:
            name, inside = name_labels, ""
        joined = ",".join(part for part in (inside, extra) if part)
        step = "+15" if ages(line) else ""
        found.append({"series": f"{name}{{{joined}}}", "values": f"{value}{step}x{samples}"})
    return found


def _promtool_test(workdir: Path, rules: dict, inputs: list, checks: list) -> None:
    (workdir / "rules.yaml").write_text(yaml.safe_dump(rules))
    test = {
        "rule_files": ["rules.yaml"],
        "evaluation_interval": "15s",
        "tests": [{"interval": "15s", "input_series": inputs, "alert_rule_test": checks}],
    }
    (workdir / "test.yaml").write_text(yaml.safe_dump(test))
    promtool = tool("promtool", "prometheus")
    ran = subprocess.run(
        [str(promtool), "test", "rules", "test.yaml"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


# Grafana's own macros, as it fills them in for a 15 s scrape interval.
GRAFANA_MACROS = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"}


def filled(workdir: Path, inputs: list[dict[str, str]], panels: dict[str, str]) -> None:
    """Asserts that each panel's query, with Grafana's macros filled in, returns data
    from these series: promtool evaluates each as an alert that fires when it does."""
    rules = []
    for i, expr in enumerate(panels.values()):
        for macro, value in GRAFANA_MACROS.items():
            expr = expr.replace(macro, value)
        rules.append({"alert": f"Panel{i}", "expr": f"count({expr}) > 0"})
    checks = [
        {"eval_time": "5m", "alertname": f"Panel{i}", "exp_alerts": [{"exp_labels": {}}]}
        for i in range(len(panels))
    ]
    try:
        _promtool_test(workdir, {"groups": [{"name": "panels", "rules": rules}]}, inputs, checks)
    except AssertionError as exc:
        legend = "\n".join(f"Panel{i}: {title}" for i, title in enumerate(panels))
        raise AssertionError(f"{exc}\n{legend}") from None


def firing(
    workdir: Path, inputs: list[dict[str, str]], expected: dict[tuple[str, str], list[dict]]
) -> None:
    """Asserts that at each (alert, eval time) exactly the alerts with the given labels
    fire (severity included). Annotations are left out of the comparison: the rules'
    own test file covers their texts."""
    rules = yaml.safe_load(RULES.read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            rule.pop("annotations", None)
    checks = [
        {
            "eval_time": at,
            "alertname": name,
            "exp_alerts": [{"exp_labels": labels} for labels in alerts],
        }
        for (name, at), alerts in expected.items()
    ]
    _promtool_test(workdir, rules, inputs, checks)
