"""Writes deploy/kubernetes/base/alerts.yaml, the Prometheus Operator's PrometheusRule
holding the groups of upmon-rules.yaml (its one source): `make rules`. A test fails
while the two differ."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
RULES = HERE / "upmon-rules.yaml"
TARGET = HERE.parents[1] / "deploy" / "kubernetes" / "base" / "alerts.yaml"
HEADER = """\
# Generated from deploy/prometheus/upmon-rules.yaml by `make rules`: edit that file.
# The Prometheus Operator loads these alerts; the ServiceMonitors in metrics.yaml
# scrape what they read.
"""


def prometheus_rule(rules_text: str) -> str:
    body = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "upmon",
            "labels": {"app.kubernetes.io/name": "upmon", "app.kubernetes.io/part-of": "upmon"},
        },
        "spec": {"groups": yaml.safe_load(rules_text)["groups"]},
    }
    return HEADER + yaml.safe_dump(body, sort_keys=False, width=100)


def main() -> int:
    TARGET.write_text(prometheus_rule(RULES.read_text()))
    print(f"wrote {TARGET.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
