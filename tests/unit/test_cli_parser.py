"""The CLI's argument parser: global flags work on either side of the subcommand."""

import pytest

from cli.main import build_parser


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
