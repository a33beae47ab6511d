"""Services and the CLI reach a NATS server that demands credentials or TLS, through the
settings alone; the wrong credentials are refused with the variable to fix."""

from __future__ import annotations

import os
from pathlib import Path

import nkeys
import pytest

from cli.main import CliError
from cli.replay import jetstream
from shared import bus, config
from stack.parts import NatsServer, free_port
from tests.integration.nats_jwt import operator_setup
from tests.integration.servers.certs import TestCA


def _nkey_user(folder: Path) -> tuple[str, Path]:
    seed = nkeys.encode_seed(os.urandom(32), nkeys.PREFIX_BYTE_USER)
    path = folder / "user.nk"
    path.write_bytes(seed + b"\n")
    return nkeys.from_seed(seed).public_key.decode(), path


def _server(folder: Path, conf: str) -> NatsServer:
    server = NatsServer(folder, free_port(), conf=conf)
    server.start()
    return server


async def _works(settings: config.Settings) -> None:
    nc = await bus.connect(settings, name="auth-test")
    try:
        info = await bus.jetstream(nc).account_info()
        assert info.limits is not None
        assert bus.link_state(nc)["nats_server"].endswith(f":{settings.nats_url.rsplit(':')[-1]}")
    finally:
        await nc.close()


async def _refused(settings: config.Settings) -> str:
    with pytest.raises(CliError) as err:
        async with jetstream(settings):
            pass
    return str(err.value)


async def test_user_and_password(tmp_path):
    server = _server(tmp_path, 'authorization { user: upmon, password: "s3cret pass" }\n')
    try:
        good = config.load({}, nats_url=server.url, nats_user="upmon", nats_password="s3cret pass")
        await _works(good)
        bad = config.load({}, nats_url=server.url, nats_user="upmon", nats_password="wrong")
        assert "cannot reach NATS" in await _refused(bad)
    finally:
        server.stop()


async def test_token(tmp_path):
    server = _server(tmp_path, "authorization { token: t0ken-for-upmon }\n")
    try:
        await _works(config.load({}, nats_url=server.url, nats_token="t0ken-for-upmon"))
        await _refused(config.load({}, nats_url=server.url, nats_token="other"))
        await _refused(config.load({}, nats_url=server.url))
    finally:
        server.stop()


async def test_nkey_seed_file(tmp_path):
    public, seed = _nkey_user(tmp_path)
    (tmp_path / "other").mkdir()
    _, stranger = _nkey_user(tmp_path / "other")
    server = _server(tmp_path, f"authorization {{ users = [ {{ nkey: {public} }} ] }}\n")
    try:
        await _works(config.load({}, nats_url=server.url, nats_nkey_seed_file=str(seed)))
        await _refused(config.load({}, nats_url=server.url, nats_nkey_seed_file=str(stranger)))
    finally:
        server.stop()


async def test_tls_with_a_ca_and_a_client_certificate(tmp_path):
    ca = TestCA()
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.cert_pem)
    server_cert, server_key = ca.issue().write(tmp_path)
    client_cert, client_key = ca.issue(("upmon-executor",), client=True).write(tmp_path)
    conf = (
        f'tls {{ cert_file: "{server_cert}", key_file: "{server_key}", '
        f'ca_file: "{ca_file}", verify: true, timeout: 2 }}\n'
    )
    server = _server(tmp_path, conf)
    try:
        url = f"tls://127.0.0.1:{server.port}"
        await _works(
            config.load(
                {},
                nats_url=url,
                nats_tls_ca_file=str(ca_file),
                nats_tls_cert_file=str(client_cert),
                nats_tls_key_file=str(client_key),
            )
        )
        # Without a client certificate the server's verify refuses the handshake.
        await _refused(config.load({}, nats_url=url, nats_tls_ca_file=str(ca_file)))
        # Without the CA the server's certificate is not trusted.
        await _refused(
            config.load(
                {},
                nats_url=url,
                nats_tls_cert_file=str(client_cert),
                nats_tls_key_file=str(client_key),
            )
        )
    finally:
        server.stop()


async def test_a_missing_credentials_file_names_its_variable(tmp_path):
    settings = config.load({}, nats_creds_file=str(tmp_path / "none.creds"))
    assert "UPMON_NATS_CREDS_FILE" in await _refused(settings)


async def test_creds_file_of_an_operator_account(tmp_path):
    conf, creds = operator_setup(tmp_path)
    server = _server(tmp_path, conf)
    try:
        nc = await bus.connect(
            config.load({}, nats_url=server.url, nats_creds_file=str(creds)), name="creds-test"
        )
        try:
            # The account is the user's own (its JWT, signed by the operator): a round trip.
            sub = await nc.subscribe("ping")
            await nc.publish("ping", b"pong")
            assert (await sub.next_msg(timeout=5)).data == b"pong"
            assert bus.link_state(nc)["nats_server"] == f"127.0.0.1:{server.port}"
        finally:
            await nc.close()
        await _works(config.load({}, nats_url=server.url, nats_creds_file=str(creds)))
        assert "authorization" in (await _refused(config.load({}, nats_url=server.url))).lower()
    finally:
        server.stop()
