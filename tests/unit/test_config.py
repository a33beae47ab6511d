import pytest

from shared import config


def test_defaults_work_without_any_variable():
    s = config.load({})
    assert s.nats_url.startswith("nats://127.0.0.1") and s.region == "default"
    assert s.replica_id


def test_variables_are_parsed_into_types():
    s = config.load({"UPMON_API_PORT": "9000", "UPMON_BACKOFF_BASE_S": "0.5"})
    assert s.api_port == 9000 and s.backoff_base_s == 0.5


@pytest.mark.parametrize(
    ("name", "value"),
    [("UPMON_API_PORT", "eighty"), ("UPMON_REGION", "Not A Region"), ("UPMON_MAX_DELIVER", "0")],
)
def test_bad_value_names_the_variable(name, value):
    with pytest.raises(config.ConfigError, match=name):
        config.load({name: value})


def test_every_field_has_a_variable_name():
    assert "UPMON_NATS_URL" in config.env_names()
