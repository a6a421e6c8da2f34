# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import socket

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rrset
import pytest

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.gandi import propagation
from ansible_collections.certops.acme.plugins.module_utils.gandi.propagation import Server
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock

NAME = "_acme-challenge.example.test"


@pytest.mark.parametrize("text, server", [
    ("192.0.2.1", Server("192.0.2.1", 53)),
    ("127.0.0.1:5353", Server("127.0.0.1", 5353)),
    ("2001:db8::1", Server("2001:db8::1", 53)),
    ("[2001:db8::1]:5353", Server("2001:db8::1", 5353)),
    ("[::1]", Server("::1", 53)),
])
def test_parse_nameserver(text, server):
    assert propagation.parse_nameserver(text) == server


@pytest.mark.parametrize("text", ["ns1.example.test", "127.0.0.1:dns", "127.0.0.1:0", "127.0.0.1:70000",
                                  "[::1", "[::1]x", ""])
def test_parse_nameserver_rejects_bad_values(text):
    with pytest.raises(InvalidInputError) as caught:
        propagation.parse_nameserver(text)
    assert caught.value.option == "nameservers"


def test_server_text():
    assert str(Server("192.0.2.1", 53, "ns1.example.test")) == "ns1.example.test (192.0.2.1:53)"
    assert str(Server("::1", 5353)) == "[::1]:5353"


def test_resolve_nameserver_prefers_ipv4_and_keeps_the_name():
    def getaddrinfo(host, port, family, kind):
        assert host == "ns1.example.test"
        return [(socket.AF_INET6, kind, 17, "", ("2001:db8::1", port, 0, 0)),
                (socket.AF_INET, kind, 17, "", ("192.0.2.1", port))]

    assert propagation.resolve_nameserver("ns1.example.test", getaddrinfo) == Server("192.0.2.1", 53, "ns1.example.test")


def test_resolve_nameserver_literal_and_failure():
    def failing(*args):
        raise socket.gaierror("no such name")

    assert propagation.resolve_nameserver("192.0.2.7", failing).address == "192.0.2.7"
    assert propagation.resolve_nameserver("nowhere.invalid", failing) is None


def _txt_response(query, *records, truncated=False, rcode=dns.rcode.NOERROR):
    response = dns.message.make_response(query)
    response.set_rcode(rcode)
    if records:
        response.answer.append(dns.rrset.from_text(NAME + ".", 300, "IN", "TXT", *records))
    if truncated:
        response.flags |= dns.flags.TC
    return response


def test_query_txt_asks_directly_and_joins_strings(monkeypatch):
    seen = []

    def udp(query, where, timeout, port):
        seen.append((where, port, timeout, bool(query.flags & dns.flags.RD)))
        return _txt_response(query, '"abc" "def"', '"v=spf1 -all"')

    monkeypatch.setattr(dns.query, "udp", udp)
    assert propagation.query_txt(Server("127.0.0.1", 5353), NAME, 1.5) == {"abcdef", "v=spf1 -all"}
    assert seen == [("127.0.0.1", 5353, 1.5, False)]


def test_query_txt_falls_back_to_tcp_on_truncation(monkeypatch):
    monkeypatch.setattr(dns.query, "udp", lambda query, where, timeout, port: _txt_response(query, truncated=True))
    monkeypatch.setattr(dns.query, "tcp", lambda query, where, timeout, port: _txt_response(query, '"big"'))
    assert propagation.query_txt(Server("127.0.0.1"), NAME, 1.0) == {"big"}


def test_query_txt_nxdomain_is_empty_and_refused_is_an_error(monkeypatch):
    monkeypatch.setattr(dns.query, "udp",
                        lambda query, where, timeout, port: _txt_response(query, rcode=dns.rcode.NXDOMAIN))
    assert propagation.query_txt(Server("127.0.0.1"), NAME, 1.0) == set()
    monkeypatch.setattr(dns.query, "udp",
                        lambda query, where, timeout, port: _txt_response(query, rcode=dns.rcode.REFUSED))
    with pytest.raises(LookupError, match="REFUSED"):
        propagation.query_txt(Server("127.0.0.1"), NAME, 1.0)


def test_query_txt_timeout_is_a_lookup_error(monkeypatch):
    def silent(query, where, timeout, port):
        raise dns.exception.Timeout()

    monkeypatch.setattr(dns.query, "udp", silent)
    with pytest.raises(LookupError, match="no answer within 1.0 s"):
        propagation.query_txt(Server("127.0.0.1"), NAME, 1.0)


class ScriptedServers:
    """Answers from a timeline: ``{server address: [(visible_at, values)]}`` against a fake clock."""

    def __init__(self, clock, timeline):
        self.clock = clock
        self.timeline = timeline
        self.queries = []

    def __call__(self, server, fqdn, timeout):
        self.queries.append((self.clock.monotonic() - 1000.0, server.address, fqdn))
        visible = [values for at, values in self.timeline[server.address] if at <= self.clock.monotonic() - 1000.0]
        if visible and visible[-1] is None:
            raise LookupError("no answer within %.1f s" % timeout)
        return set(visible[-1]) if visible else set()


SERVERS = [Server("192.0.2.1", 53, "ns1"), Server("192.0.2.2", 53, "ns2")]


def test_wait_returns_as_soon_as_every_server_has_every_value():
    clock = FakeClock()
    servers = ScriptedServers(clock, {"192.0.2.1": [(0, {"a", "b"})], "192.0.2.2": [(0, set()), (2.5, {"a", "b", "x"})]})
    checks = propagation.build_checks(SERVERS, {NAME: {"a", "b"}})
    seconds = propagation.wait_for_propagation(checks, 300, 1.0, clock=clock, query=servers)
    assert seconds == 3.0
    assert clock.sleeps == [1.0, 1.0, 1.0]
    # a server that has answered everything is not asked again
    assert [query[1] for query in servers.queries].count("192.0.2.1") == 1


def test_wait_with_everything_there_does_not_sleep():
    clock = FakeClock()
    servers = ScriptedServers(clock, {"192.0.2.1": [(0, {"a"})], "192.0.2.2": [(0, {"a"})]})
    assert propagation.wait_for_propagation(propagation.build_checks(SERVERS, {NAME: {"a"}}), 300, 1.0, clock=clock,
                                            query=servers) == 0
    assert clock.sleeps == []


def test_wait_timeout_names_each_server_and_the_values_it_lacks():
    clock = FakeClock()
    servers = ScriptedServers(clock, {"192.0.2.1": [(0, {"a"})], "192.0.2.2": [(0, None)]})
    checks = propagation.build_checks(SERVERS, {NAME: {"a", "b"}})
    with pytest.raises(TimeoutExpired) as caught:
        propagation.wait_for_propagation(checks, 2.5, 1.0, clock=clock, query=servers)
    message = str(caught.value)
    assert "within 2.5 seconds" in message
    assert "ns1 (192.0.2.1:53) lacks b for %s" % NAME in message
    assert "ns2 (192.0.2.2:53) lacks a, b for %s (last query: no answer" % NAME in message
    assert clock.sleeps == [1.0, 1.0, 0.5]
    assert caught.value.details["missing"][0] == dict(server="ns1 (192.0.2.1:53)", fqdn=NAME, values=["b"],
                                                      problem=None)


def test_query_timeout_never_exceeds_the_remaining_time_by_much():
    clock = FakeClock()
    timeouts = []

    def query(server, fqdn, timeout):
        timeouts.append(timeout)
        return set()

    with pytest.raises(TimeoutExpired):
        propagation.wait_for_propagation(propagation.build_checks(SERVERS[:1], {NAME: {"a"}}), 1.5, 1.0, clock=clock,
                                         query=query)
    assert timeouts == [1.5, 0.5, propagation.MIN_QUERY_TIMEOUT]


def test_slow_servers_cannot_stretch_a_round_past_the_deadline():
    clock = FakeClock()
    asked = []

    def hanging_query(server, fqdn, timeout):
        asked.append((server.address, timeout))
        clock.advance(timeout)  # the server never answers: the whole timeout is spent
        raise LookupError("no answer within %.1f s" % timeout)

    with pytest.raises(TimeoutExpired) as caught:
        propagation.wait_for_propagation(propagation.build_checks(SERVERS, {NAME: {"a"}}), 1.5, 1.0, clock=clock,
                                         query=hanging_query)
    assert asked == [("192.0.2.1", 1.5)]
    assert clock.monotonic() - 1000.0 == 1.5
    assert [entry["values"] for entry in caught.value.details["missing"]] == [["a"], ["a"]]
