"""Ports for test and benchmark servers stay clear of the kernel's ephemeral range."""

from __future__ import annotations

import socket

from stack.parts import HOST, _ephemeral_low, free_port


def test_free_port_is_below_the_ephemeral_range_and_can_be_bound():
    ports = {free_port() for _ in range(20)}
    assert all(10_000 <= port < _ephemeral_low() for port in ports)
    for port in ports:
        with socket.socket() as s:
            s.bind((HOST, port))
