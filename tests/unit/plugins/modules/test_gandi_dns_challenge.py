# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module on a fake LiveDNS: input checks before any call, changed / check mode / diff,
the calls each rrset costs, the read-back modes, and ten concurrent writers losing nothing."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse

import pytest

from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module as run_main
from ansible_collections.certops.acme.plugins.module_utils.gandi import challenge, options, propagation
from ansible_collections.certops.acme.plugins.module_utils.gandi.ledger import is_marker
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, Response
from ansible_collections.certops.acme.plugins.module_utils.module import ModuleContext
from ansible_collections.certops.acme.plugins.modules import gandi_dns_challenge

API = "https://api.test/v5/livedns"
PAT_VALUE = "0123456789abcdef0123456789abcdef01234567"
CHALLENGES = [{"fqdn": "_acme-challenge.example.test", "value": "token", "identifier": "example.test"}]
SPF = '"v=spf1 -all"'
NS = "192.0.2.53"
ZONES = [{"zone": "example.test", "nameservers": [NS]}]


class FakeLiveDNS:
    """An in-memory LiveDNS behind a transport: zones, name servers and TXT rrsets, thread-safe.

    ``on_get`` runs after each rrset read and ``after_write`` after each write, to play
    writers elsewhere; every call is recorded in ``calls`` as ``(method, path)``.
    """

    def __init__(self, zones=("example.test",), rrsets=None, on_get=None, after_write=None):
        self.zones = list(zones)
        self.rrsets = dict(rrsets or {})  # name -> [values]
        self.calls = []
        self.mutex = threading.Lock()
        self.on_get = on_get or (lambda fake, name: None)
        self.after_write = after_write or (lambda fake, name: None)

    def send(self, method, url, headers, body, timeout, verify):
        assert headers["Authorization"] == "Bearer " + PAT_VALUE
        path = urllib.parse.urlsplit(url).path[len("/v5/livedns"):]
        with self.mutex:
            self.calls.append((method, path))
        parts = [urllib.parse.unquote(part) for part in path.strip("/").split("/")]
        if parts == ["domains"]:
            return self._json(200, [{"fqdn": zone} for zone in self.zones])
        if len(parts) == 3 and parts[2] == "nameservers":
            return self._json(200, ["ns1.gandi.test"])
        assert len(parts) == 5 and parts[0] == "domains" and parts[2] == "records" and parts[4] == "TXT", path
        name = parts[3]
        if method == "GET":
            with self.mutex:
                values = self.rrsets.get(name)
            self.on_get(self, name)
            if values is None:
                return self._json(404, {"code": 404, "message": "Can't find the DNS record", "cause": "Not Found"})
            return self._json(200, {"rrset_name": name, "rrset_type": "TXT", "rrset_ttl": 300,
                                    "rrset_values": list(values)})
        with self.mutex:
            if method == "DELETE":
                self.rrsets.pop(name, None)
                status, payload = 204, None
            else:
                if method == "POST" and name in self.rrsets:
                    return self._json(409, {"code": 409, "message": "exists", "cause": "Conflict"})
                values = json.loads(body)["rrset_values"]
                self.rrsets[name] = ['"%s"' % value.strip('"') for value in values]
                status, payload = 201, {"message": "DNS Record Created"}
        self.after_write(self, name)
        return self._json(status, payload)

    @staticmethod
    def _json(status, payload):
        body = b"" if payload is None else json.dumps(payload).encode("utf-8")
        return Response(status, {"Content-Type": "application/json"}, body)

    def methods(self):
        return [method for method, _path in self.calls]

    def writes(self):
        return [call for call in self.calls if call[0] != "GET"]

    def plain(self, name="_acme-challenge"):
        return sorted(value for value in self.rrsets.get(name, ()) if not is_marker(value))

    def served(self, server, fqdn, timeout):
        """What an authoritative server would answer at once (``propagation.query_txt``)."""
        name = fqdn[:-len(".example.test")]
        with self.mutex:
            return {value.strip('"') for value in self.rrsets.get(name, ())}


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    monkeypatch.delenv("GANDI_PERSONAL_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("GANDI_API_KEY", raising=False)
    monkeypatch.setenv("CERTOPS_ACME_LOCK_DIR", str(tmp_path / "locks"))


def use(monkeypatch, fake):
    """Route the module's HTTP client to ``fake`` (``None``: fail on any client) and DNS queries to it."""
    def fake_http(base_url, **kwargs):
        if fake is None:
            raise AssertionError("the module made an HTTP client before checking its input")
        kwargs.pop("transport", None)
        return HttpClient(base_url, transport=fake, **kwargs)

    monkeypatch.setattr(options, "HttpClient", fake_http)
    if fake is not None:
        monkeypatch.setattr(propagation, "query_txt", fake.served)


def run_module(monkeypatch, fake=None, check_mode=False, diff=False, **args):
    use(monkeypatch, fake)
    params = dict(personal_access_token=PAT_VALUE, api_url=API, challenges=CHALLENGES, wait=False,
                  _ansible_check_mode=check_mode, _ansible_diff=diff)
    params.update(args)
    return run_main(monkeypatch, gandi_dns_challenge, params)


# --- input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args, start", [
    (dict(ttl=60), "ttl: must be between 300 and 2592000"),
    (dict(propagation_timeout=0), "propagation_timeout: must be a positive"),
    (dict(propagation_interval=-1), "propagation_interval: must be a positive"),
    (dict(nameservers=["ns1.example.test"]), "nameservers: 'ns1.example.test' is not IP[:port]"),
    (dict(api_url="api.gandi.net"), "api_url: must be an https:// URL such as"),
    (dict(challenges=[{"fqdn": "_acme-challenge.example.test"}]), "challenges[0]: value must be"),
    (dict(personal_access_token="Bearer " + "x" * 30), "personal_access_token: the value (37 characters"),
    (dict(stale_after=-1), "stale_after: must be 0 or a positive"),
    (dict(api_key="abcdefghij0123456789klmn"), "personal_access_token: set only one of"),
    (dict(zones=[{"nameservers": [NS]}]), "zones[0]: must be a zone name or a dict with the key zone"),
    (dict(zones=[{"zone": "example.test", "nameservers": "ns1"}]), "zones[0]: nameservers must be a list"),
    (dict(zones=["*.example.test"]), "zones[0]: '*.example.test': a wildcard is not allowed"),
    (dict(zones=[]), "zones: give at least one zone"),
])
def test_bad_input_fails_before_any_call(monkeypatch, args, start):
    result = run_module(monkeypatch, **args)
    assert result["msg"].startswith(start)
    assert result["changed"] is False
    assert PAT_VALUE not in json.dumps(result)


def test_zone_and_zones_exclude_each_other(monkeypatch):
    result = run_module(monkeypatch, zone="example.test", zones=["example.test"])
    assert "mutually exclusive" in result["msg"] and "rrsets" not in result


def test_a_record_outside_the_zones_given_fails_before_any_write(monkeypatch):
    fake = FakeLiveDNS()
    result = run_module(monkeypatch, fake, zones=["other.test"])
    assert result["msg"].startswith("zones: none of the zones given contains _acme-challenge.example.test "
                                    "(given: other.test)")
    assert fake.calls == []


def test_credential_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("GANDI_API_KEY", "y y" * 10)
    result = run_module(monkeypatch, personal_access_token=None)
    assert result["msg"].startswith("api_key: the value (30 characters, from api_key or the environment variable "
                                    "GANDI_API_KEY)")


# --- changed, check mode, diff ---------------------------------------------------------------

@pytest.mark.parametrize("diff", [False, True])
def test_publish_merges_reports_changed_and_the_diff_in_diff_mode(monkeypatch, diff):
    fake = FakeLiveDNS(rrsets={"_acme-challenge": [SPF]})
    result = run_module(monkeypatch, fake, diff=diff)
    assert result["changed"] is True and "failed" not in result
    # The zone listing, the read, the write and the read-back.
    assert fake.calls == [("GET", "/domains"), ("GET", "/domains/example.test/records/_acme-challenge/TXT"),
                          ("PUT", "/domains/example.test/records/_acme-challenge/TXT"),
                          ("GET", "/domains/example.test/records/_acme-challenge/TXT")]
    assert fake.plain() == sorted([SPF, '"token"'])
    rrset = result["rrsets"][0]
    assert rrset["values_before"] == [SPF] and rrset["changed"] is True
    assert [value for value in rrset["values_after"] if not is_marker(value)] == [SPF, '"token"']
    if diff:
        assert result["diff"]["before"] == {"_acme-challenge.example.test TXT": [SPF]}
        assert result["diff"]["after"] == {"_acme-challenge.example.test TXT": rrset["values_after"]}
    else:
        assert "diff" not in result


def test_check_mode_makes_the_same_reads_and_no_write(monkeypatch):
    fake = FakeLiveDNS(rrsets={"_acme-challenge": [SPF]})
    result = run_module(monkeypatch, fake, check_mode=True, diff=True, wait=True)
    assert result["changed"] is True
    assert fake.methods() == ["GET", "GET"] and fake.rrsets == {"_acme-challenge": [SPF]}
    assert result["propagation_seconds"] == 0.0
    assert [value for value in result["diff"]["after"]["_acme-challenge.example.test TXT"]
            if not is_marker(value)] == [SPF, '"token"']


def test_a_second_run_reads_each_rrset_once_and_changes_nothing(monkeypatch):
    fake = FakeLiveDNS()
    run_module(monkeypatch, fake, zones=ZONES)
    fake.calls.clear()
    result = run_module(monkeypatch, fake, zones=ZONES, diff=True)
    assert result["changed"] is False
    assert fake.calls == [("GET", "/domains/example.test/records/_acme-challenge/TXT")]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_check_mode_withdrawal_predicts_the_deletion(monkeypatch):
    fake = FakeLiveDNS(rrsets={"_acme-challenge": ['"token"']})
    result = run_module(monkeypatch, fake, check_mode=True, state="absent", zones=ZONES)
    assert result["changed"] is True and result["rrsets"][0]["values_after"] == []
    assert fake.methods() == ["GET"] and fake.rrsets == {"_acme-challenge": ['"token"']}


# --- the calls of the role's three names ------------------------------------------------------

ROLE_CHALLENGES = [
    {"fqdn": "_acme-challenge.example.test", "value": "apex"},
    {"fqdn": "_acme-challenge.example.test", "value": "wildcard"},
    {"fqdn": "_acme-challenge.www.example.test", "value": "www"},
]
SWEEP = [{"fqdn": "_acme-challenge.example.test"}, {"fqdn": "_acme-challenge.www.example.test"}]


def test_publish_and_withdraw_with_the_zones_given_cost_a_read_and_a_write_per_rrset(monkeypatch):
    fake = FakeLiveDNS(rrsets={"_acme-challenge.www": [SPF]})
    published = run_module(monkeypatch, fake, challenges=ROLE_CHALLENGES, zones=ZONES, read_back="when_unseen",
                           wait=True, propagation_interval=0.01)
    assert published["changed"] is True and "failed" not in published
    assert fake.methods() == ["GET", "POST", "GET", "PUT"]
    assert fake.plain() == ['"apex"', '"wildcard"'] and fake.plain("_acme-challenge.www") == sorted([SPF, '"www"'])
    withdrawn = run_module(monkeypatch, fake, challenges=ROLE_CHALLENGES + SWEEP, zones=ZONES,
                           read_back="when_unseen", state="absent")
    assert withdrawn["changed"] is True
    assert fake.methods()[4:] == ["GET", "DELETE", "GET", "PUT"]
    assert len(fake.calls) == 8 and "_acme-challenge" not in fake.rrsets
    assert fake.rrsets["_acme-challenge.www"] == [SPF]


def test_without_zones_the_listing_and_the_name_servers_are_read(monkeypatch):
    fake = FakeLiveDNS()
    monkeypatch.setattr(propagation, "resolve_nameserver", lambda host: propagation.Server(NS, 53, host))
    run_module(monkeypatch, fake, wait=True, propagation_interval=0.01)
    assert fake.calls[:2] == [("GET", "/domains"), ("GET", "/domains/example.test/nameservers")]


def test_a_publication_without_waiting_is_read_back_whatever_read_back_says(monkeypatch):
    fake = FakeLiveDNS()
    run_module(monkeypatch, fake, zones=ZONES, read_back="when_unseen", wait=False)
    assert fake.methods() == ["GET", "POST", "GET"]


def test_a_value_that_a_writer_elsewhere_dropped_is_read_back_and_re_applied(monkeypatch):
    def dropped_once(fake, name):
        if len(fake.writes()) == 1:
            fake.rrsets[name] = ['"theirs"']

    fake = FakeLiveDNS(after_write=dropped_once)
    monkeypatch.setattr(challenge, "READ_BACK_AFTER", 0.05)
    result = run_module(monkeypatch, fake, zones=ZONES, read_back="when_unseen", wait=True,
                        propagation_interval=0.02)
    assert result["changed"] is True and "failed" not in result
    # Read, create; the name servers lack the value, so: read back, re-apply, read back.
    assert fake.methods() == ["GET", "POST", "GET", "PUT", "GET"]
    assert fake.plain() == ['"theirs"', '"token"']
    assert [value for value in result["rrsets"][0]["values_after"] if not is_marker(value)] == ['"theirs"', '"token"']


def test_a_failure_after_a_write_reports_the_change(monkeypatch):
    fake = FakeLiveDNS()
    fake.served = lambda *args: set()  # the name servers never answer the value
    result = run_module(monkeypatch, fake, zones=ZONES, read_back="always", wait=True,
                        propagation_timeout=0.2, propagation_interval=0.05)
    assert result["msg"].startswith("the TXT values did not reach every authoritative name server")
    assert result["changed"] is True and result["rrsets"][0]["changed"] is True


# --- ten concurrent writers -------------------------------------------------------------------

def publish_concurrently(monkeypatch, fake, writers=10, state="present", timeout=30.0):
    """Run ``writers`` modules at once, each with its own value; ``(values expected, errors)``."""
    use(monkeypatch, fake)
    errors = []

    def writer(number):
        params = dict(personal_access_token=PAT_VALUE, api_key=None, api_url=API, validate_certs=True,
                      ca_path=None, timeout=30.0, zone=None, ttl=300, stale_after=3600, state=state,
                      read_back="when_unseen", wait=True, propagation_timeout=timeout, propagation_interval=0.01,
                      nameservers=None, zones=ZONES,
                      challenges=[{"fqdn": "_acme-challenge.example.test", "value": "writer-%02d" % number}])
        try:
            result = gandi_dns_challenge.run(params, ModuleContext(check_mode=False, diff=False))
            assert result["changed"] is True
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return ['"writer-%02d"' % number for number in range(writers)], errors


def test_ten_concurrent_writers_lose_no_value(monkeypatch):
    # Every read takes a while, so that unserialised writers would overlap.
    fake = FakeLiveDNS(on_get=lambda fake, name: time.sleep(0.02))
    expected, errors = publish_concurrently(monkeypatch, fake)
    assert not errors and fake.plain() == expected
    # One read and one write each: the lock serialised them, nothing was re-applied.
    assert fake.methods().count("GET") == 10 and len(fake.writes()) == 10
    assert publish_concurrently(monkeypatch, fake, state="absent")[1] == []
    assert "_acme-challenge" not in fake.rrsets and len(fake.writes()) == 20


def test_without_the_lock_concurrent_writers_would_lose_values(monkeypatch):
    # The control of the test above: with the lock gone, writers that all read before any writes
    # replace each other's values, so that test can fail.
    everyone_read = threading.Barrier(10, timeout=10)
    fake = FakeLiveDNS(rrsets={"_acme-challenge": [SPF]},
                       on_get=lambda fake, name: everyone_read.wait() if len(fake.calls) <= 10 else None)
    monkeypatch.setattr(gandi_dns_challenge, "rrset_lock", lambda api_url, key: contextlib.nullcontext())
    monkeypatch.setattr(challenge, "READ_BACK_AFTER", 3600.0)
    expected, _errors = publish_concurrently(monkeypatch, fake, timeout=0.3)
    assert SPF in fake.plain() and len(fake.plain()) < len(expected) + 1
