"""The CLI's argument parser: global flags work on either side of the subcommand, and
`upmon up` runs the replicas asked for."""

import pytest

from cli.main import build_parser
from stack.supervisor import Ports, service_of


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--data-dir", "/a", "up"], "/a"),
        (["up", "--data-dir", "/b"], "/b"),
        (["up"], None),
        (["--data-dir", "/a", "user", "list"], "/a"),
        (["user", "list", "--data-dir", "/c"], "/c"),
        (["apikey", "create", "--name", "ci", "--scope", "read", "--data-dir", "/d"], "/d"),
        (["secrets", "rotate", "--data-dir", "/e"], "/e"),
    ],
)
def test_data_dir_is_taken_before_or_after_the_subcommand(argv, expected):
    assert build_parser().parse_args(argv).data_dir == expected


def test_one_given_before_is_kept_when_none_comes_after():
    args = build_parser().parse_args(["--data-dir", "/a", "queues", "--json"])
    assert args.data_dir == "/a"


def test_replicas_are_given_per_service():
    args = build_parser().parse_args(
        ["up", "--replicas", "scheduler=2", "--replicas", "executor=3"]
    )
    assert args.replicas == [("scheduler", 2), ("executor", 3)]


@pytest.mark.parametrize("given", ["api=2", "executor=0", "executor=9", "executor", "web=2", "x=y"])
def test_replicas_of_what_cannot_scale_are_refused(given, capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["up", "--replicas", given])
    assert exited.value.code == 2
    assert "give SERVICE=N with SERVICE one of scheduler, executor" in capsys.readouterr().err


def test_each_replica_is_a_service_process_of_its_own():
    ports = Ports(replicas=(("scheduler", 2), ("executor", 3)), leaf_regions=("eu",))
    names = ports.service_names()
    assert names == [
        "scheduler", "scheduler.2", "executor", "executor.2", "executor.3",
        "recorder", "notifier", "executor-eu", "api",
    ]  # fmt: skip
    assert [service_of(n) for n in names] == [
        "scheduler", "scheduler", "executor", "executor", "executor",
        "recorder", "notifier", "executor", "api",
    ]  # fmt: skip
    # A metrics port each (the api serves its own), none shared.
    metrics = [p for name, p in ports.named().items() if name.endswith(" metrics")]
    assert len(metrics) == len(set(metrics)) == len(names) - 1
