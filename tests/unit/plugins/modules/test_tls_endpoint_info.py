# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module on scripted handshakes: a read in every mode, a wait with a deadline, failures the one way."""

from __future__ import annotations

import ssl

import pytest

from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock
from ansible_collections.certops.acme.plugins.module_utils.tls_probe import ProbeFailure, TlsProbe
from ansible_collections.certops.acme.plugins.modules import tls_endpoint_info
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.test_tls_probe import (
    NEW_DER, NEW_FINGERPRINT, NOW, OLD_DER, OLD_FINGERPRINT, ScriptedFetch,
)
from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module as run_main


def run_module(monkeypatch, *answers, **args):
    """The module with ``answers`` as the handshakes' results; returns ``(result, handshakes, clock)``."""
    fetch, clock = ScriptedFetch(*answers), FakeClock(start=NOW)
    contexts = []

    def probe(server_name, host, port, context, timeout):
        contexts.append(context)
        return TlsProbe(server_name, host, port, context, timeout, fetch=fetch, clock=clock)

    monkeypatch.setattr(tls_endpoint_info, "TlsProbe", probe)
    params = dict(server_name="cdn.example.test")
    params.update(args)
    result = run_main(monkeypatch, tls_endpoint_info, params)
    return result, fetch.calls, contexts


@pytest.mark.parametrize("modes", [{}, dict(_ansible_check_mode=True), dict(_ansible_diff=True)])
def test_reads_the_served_certificate_in_every_mode(monkeypatch, modes):
    result, handshakes, contexts = run_module(monkeypatch, NEW_DER, **modes)
    assert result["changed"] is False and "diff" not in result and "msg" not in result
    assert result["certificate"]["fingerprint_sha256"] == NEW_FINGERPRINT and result["matches_expected"] is None
    assert result["verified"] is True and contexts[0].verify_mode == ssl.CERT_REQUIRED
    assert result["address"] == "cdn.example.test:443" and result["server_name"] == "cdn.example.test"
    # Without a wait, a handshake may take a second at the most.
    assert handshakes == [("cdn.example.test", "cdn.example.test", 443, 1.0)]


def test_an_address_and_no_verification_are_used_as_given(monkeypatch):
    result, handshakes, contexts = run_module(monkeypatch, NEW_DER, address="127.0.0.1:8443", validate_certs=False,
                                              timeout=5, wait_timeout=10)
    assert result["verified"] is False and contexts[0].verify_mode == ssl.CERT_NONE
    assert result["address"] == "127.0.0.1:8443" and handshakes == [("cdn.example.test", "127.0.0.1", 8443, 5.0)]


def test_waits_until_the_expected_certificate_is_served(monkeypatch):
    colons = ":".join(NEW_FINGERPRINT[i:i + 2] for i in range(0, 64, 2)).upper()
    result, handshakes, _contexts = run_module(monkeypatch, OLD_DER, ProbeFailure("reset"), NEW_DER,
                                               expected_fingerprint=colons, wait_timeout=10, interval=1)
    assert result["changed"] is False and result["matches_expected"] is True
    assert result["attempts"] == 3 and len(handshakes) == 3


def test_the_deadline_fails_naming_what_is_served(monkeypatch):
    result, _handshakes, _contexts = run_module(monkeypatch, OLD_DER, expected_fingerprint=NEW_FINGERPRINT,
                                                wait_timeout=2, interval=1)
    assert result["changed"] is False and "still serving certificate %s" % OLD_FINGERPRINT in result["msg"]
    assert result["details"]["server_name"] == "cdn.example.test" and result["details"]["attempts"] == 3
    assert "Traceback" in result["exception"] and "certificate" not in result


@pytest.mark.parametrize("args, start", [
    (dict(address="host:http"), "address: the port in 'host:http' is not a number"),
    (dict(expected_fingerprint="abc"), "expected_fingerprint: expected a SHA-256 fingerprint"),
])
def test_bad_input_fails_before_any_handshake(monkeypatch, args, start):
    result, handshakes, contexts = run_module(monkeypatch, NEW_DER, **args)
    assert result["msg"].startswith(start) and result["changed"] is False
    assert handshakes == [] and contexts == []
