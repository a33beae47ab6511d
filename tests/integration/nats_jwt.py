"""Decentralised NATS security made on the spot: an operator, an account with JetStream and
a user, as signed JWTs, and the user's `.creds` file (what `nsc` would write)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from pathlib import Path

import nkeys


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _keypair(prefix: int):
    seed = nkeys.encode_seed(os.urandom(32), prefix)
    return seed, nkeys.from_seed(seed)


def _jwt(signer, subject: str, name: str, nats: dict) -> str:
    claims = {
        "iat": int(time.time()),
        "iss": signer.public_key.decode(),
        "name": name,
        "sub": subject,
        "nats": {**nats, "version": 2},
    }
    body = json.dumps(claims, separators=(",", ":")).encode()
    claims["jti"] = base64.b32encode(hashlib.sha256(body).digest()).decode().rstrip("=")
    head = _b64(json.dumps({"typ": "JWT", "alg": "ed25519-nkey"}).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(signer.sign(f"{head}.{payload}".encode()))
    return f"{head}.{payload}.{signature}"


def operator_setup(folder: Path) -> tuple[str, Path]:
    """(server configuration text, path of the user's .creds file)."""
    _, operator = _keypair(nkeys.PREFIX_BYTE_OPERATOR)
    _, account = _keypair(nkeys.PREFIX_BYTE_ACCOUNT)
    # JetStream wants a system account beside the user's.
    _, system = _keypair(nkeys.PREFIX_BYTE_ACCOUNT)
    user_seed, user = _keypair(nkeys.PREFIX_BYTE_USER)
    op_pub, acct_pub = operator.public_key.decode(), account.public_key.decode()
    sys_pub = system.public_key.decode()
    op_jwt = _jwt(operator, op_pub, "upmon-op", {"type": "operator", "system_account": sys_pub})
    sys_jwt = _jwt(operator, sys_pub, "SYS", {"type": "account"})
    limits = {"subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
              "conn": -1, "leaf": -1, "mem_storage": -1, "disk_storage": -1,
              "streams": -1, "consumer": -1}  # fmt: skip
    acct_jwt = _jwt(operator, acct_pub, "upmon", {"type": "account", "limits": limits})
    user_jwt = _jwt(
        account,
        user.public_key.decode(),
        "executor",
        {"type": "user", "pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1},
    )
    creds = folder / "executor.creds"
    creds.write_text(
        f"-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n"
        f"-----BEGIN USER NKEY SEED-----\n{user_seed.decode()}\n------END USER NKEY SEED------\n"
    )
    preload = f"{acct_pub}: {acct_jwt}, {sys_pub}: {sys_jwt}"
    conf = f"operator: {op_jwt}\nresolver: MEMORY\nresolver_preload: {{ {preload} }}\n"
    return conf, creds
