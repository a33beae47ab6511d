from pathlib import Path

from shared import config

README = (Path(__file__).parents[2] / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme():
    missing = [name for name in config.env_names() if f"`{name}`" not in README]
    assert missing == []


def test_readme_shows_the_two_commands():
    assert "make up" in README and "make test" in README
