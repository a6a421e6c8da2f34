# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.address import join_host_port, split_host_port
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError


@pytest.mark.parametrize("text, expected", [
    ("cdn.example.test", ("cdn.example.test", 443)),
    ("cdn.example.test:8443", ("cdn.example.test", 8443)),
    ("192.0.2.1:53", ("192.0.2.1", 53)),
    ("2001:db8::1", ("2001:db8::1", 443)),
    ("[2001:db8::1]", ("2001:db8::1", 443)),
    ("[2001:db8::1]:853", ("2001:db8::1", 853)),
    ("  edge.example.test:1  ", ("edge.example.test", 1)),
    ("h:65535", ("h", 65535)),
])
def test_split_host_port(text, expected):
    assert split_host_port(text, 443, "address") == expected


@pytest.mark.parametrize("text, message", [
    ("", "'' is not host, host:port or [IPv6]:port"),
    (None, "'' is not host, host:port or [IPv6]:port"),
    (":443", "':443' is not host"),
    ("[::1", "'[::1' is not host"),
    ("[::1]x", "'[::1]x' is not host"),
    ("[]:53", "'[]:53' is not host"),
    ("[::1]:", "the port in '[::1]:' is not a number"),
    ("host:http", "the port in 'host:http' is not a number"),
    ("host:0", "the port in 'host:0' is outside 1-65535"),
    ("host:65536", "the port in 'host:65536' is outside 1-65535"),
])
def test_split_host_port_refuses_naming_the_option(text, message):
    with pytest.raises(InvalidInputError) as caught:
        split_host_port(text, 443, "address")
    assert caught.value.option == "address"
    assert message in caught.value.message


def test_the_caller_says_what_a_good_value_looks_like():
    with pytest.raises(InvalidInputError, match="is not IP\\[:port\\]"):
        split_host_port("[x", 53, "nameservers", "IP[:port]")


def test_join_host_port_brackets_ipv6():
    assert join_host_port("192.0.2.1", 53) == "192.0.2.1:53"
    assert join_host_port("cdn.example.test", 443) == "cdn.example.test:443"
    assert join_host_port("2001:db8::1", 853) == "[2001:db8::1]:853"


@pytest.mark.parametrize("host, port", [("cdn.example.test", 8443), ("::1", 53), ("192.0.2.7", 1)])
def test_join_and_split_round_trip(host, port):
    assert split_host_port(join_host_port(host, port), 443, "address") == (host, port)
