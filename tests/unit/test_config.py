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


def test_nats_url_takes_a_comma_separated_list_of_servers():
    s = config.load({"UPMON_NATS_URL": "nats://10.0.0.1:4222, nats://10.0.0.2:4222,tls://n3:4223"})
    assert config.nats_servers(s.nats_url) == [
        "nats://10.0.0.1:4222",
        "nats://10.0.0.2:4222",
        "tls://n3:4223",
    ]


@pytest.mark.parametrize(
    "url",
    ["", " , ", "http://127.0.0.1:4222", "nats://127.0.0.1", "nats://:4222", "nats://h:99999"],
)
def test_a_bad_server_in_the_nats_url_names_the_variable(url):
    with pytest.raises(config.ConfigError, match="UPMON_NATS_URL"):
        config.nats_servers(url)
    if url:
        with pytest.raises(config.ConfigError, match="UPMON_NATS_URL"):
            config.load({"UPMON_NATS_URL": url})


def test_two_ways_of_nats_authentication_are_refused():
    with pytest.raises(config.ConfigError, match="UPMON_NATS_TOKEN: set only one"):
        config.load({"UPMON_NATS_USER": "u", "UPMON_NATS_PASSWORD": "p", "UPMON_NATS_TOKEN": "t"})


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"UPMON_NATS_USER": "u"}, "UPMON_NATS_PASSWORD"),
        ({"UPMON_NATS_PASSWORD": "p"}, "UPMON_NATS_USER"),
        ({"UPMON_NATS_TLS_CERT_FILE": "c.pem"}, "UPMON_NATS_TLS_KEY_FILE"),
    ],
)
def test_half_a_credential_names_the_missing_variable(given, missing):
    with pytest.raises(config.ConfigError, match=missing):
        config.load(given)


@pytest.mark.parametrize("value", ["0", "6", "three"])
def test_nats_replicas_is_bounded(value):
    with pytest.raises(config.ConfigError, match="UPMON_NATS_REPLICAS"):
        config.load({"UPMON_NATS_REPLICAS": value})


def test_nats_connect_options_carry_servers_and_credentials(tmp_path):
    from shared import bus

    seed = tmp_path / "user.nk"
    seed.write_text("SU...")
    s = config.load({}, nats_url="nats://a:1,nats://b:2", nats_nkey_seed_file=str(seed))
    opts = bus.connect_options(s)
    assert opts["servers"] == ["nats://a:1", "nats://b:2"]
    assert opts["nkeys_seed"] == str(seed) and "tls" not in opts
    token = bus.connect_options(config.load({}, nats_url="tls://a:1", nats_token="t"))
    assert token["token"] == "t" and token["tls"] is not None


def test_an_unreadable_credentials_file_names_its_variable(tmp_path):
    from shared import bus

    s = config.load({}, nats_creds_file=str(tmp_path / "absent.creds"))
    with pytest.raises(config.ConfigError, match="UPMON_NATS_CREDS_FILE"):
        bus.connect_options(s)
