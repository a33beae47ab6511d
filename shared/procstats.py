"""This process's own costs, for its liveness record: CPU seconds used and messages
its consumers handled since it started. Capacity planning divides one by the other
between two samples (the process's CPU is also `process_cpu_seconds_total` in
/metrics)."""

from __future__ import annotations

import functools
import resource
from importlib import metadata

from shared import metrics


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def handled() -> int:
    """Messages acked by this process's consumers (a batch counts each message)."""
    total = 0.0
    for family in metrics.MESSAGES.collect():
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.labels.get("outcome") == "ack":
                total += sample.value
    return int(total)


def published() -> int:
    return int(
        sum(
            s.value
            for f in metrics.PUBLISHED.collect()
            for s in f.samples
            if s.name.endswith("_total")
        )
    )


@functools.cache
def version() -> str:
    try:
        return metadata.version("upmon")
    except metadata.PackageNotFoundError:
        return "unknown"


def snapshot() -> dict[str, str]:
    return {
        "version": version(),
        "cpu_s": f"{cpu_seconds():.3f}",
        "handled": str(handled()),
        "published": str(published()),
    }
