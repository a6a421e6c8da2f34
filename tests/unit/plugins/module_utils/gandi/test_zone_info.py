# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import random

import pytest

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.gandi.client import GandiAuthError, GandiClient
from ansible_collections.certops.acme.plugins.module_utils.gandi.credentials import detect_credential
from ansible_collections.certops.acme.plugins.module_utils.gandi.zone_info import challenge_record, zone_info
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, RetryPolicy
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock, FakeTransport, json_response

API = "https://api.test/v5/livedns"
PAT_VALUE = "0123456789abcdef0123456789abcdef01234567"


def make_client(*answers):
    credential, _warnings = detect_credential(personal_access_token=PAT_VALUE)
    transport = FakeTransport(answers)
    http = HttpClient(API, transport=transport, clock=FakeClock(), rng=random.Random(7), secrets=[PAT_VALUE],
                      retry=RetryPolicy(max_attempts=2))
    return GandiClient(http, credential), transport


def domains(*fqdns):
    return json_response(200, [{"fqdn": fqdn} for fqdn in fqdns])


@pytest.mark.parametrize("name, record", [
    ("example.test", "_acme-challenge.example.test"),
    ("*.Example.test.", "_acme-challenge.example.test"),
    ("www.example.test", "_acme-challenge.www.example.test"),
])
def test_challenge_record_drops_the_wildcard_and_normalises(name, record):
    assert challenge_record(name) == record


@pytest.mark.parametrize("name", ["", "a.*.example.test", "a..example.test", "www example.test"])
def test_a_bad_name_fails_naming_the_option(name):
    with pytest.raises(InvalidInputError, match="^names: "):
        challenge_record(name)


def test_each_name_gets_the_deepest_zone_and_each_zone_is_read_once():
    client, transport = make_client(domains("example.test", "sub.example.test", "other.test"),
                                    json_response(200, ["ns1.gandi.test"]),
                                    json_response(200, ["ns2.gandi.test"]))
    result = zone_info(client, ["example.test", "*.example.test", "a.sub.example.test"])
    assert result["names"] == [
        dict(name="example.test", fqdn="_acme-challenge.example.test", zone="example.test", record="_acme-challenge"),
        dict(name="*.example.test", fqdn="_acme-challenge.example.test", zone="example.test", record="_acme-challenge"),
        dict(name="a.sub.example.test", fqdn="_acme-challenge.a.sub.example.test", zone="sub.example.test",
             record="_acme-challenge.a"),
    ]
    assert result["zones"] == [dict(zone="example.test", nameservers=["ns1.gandi.test"]),
                               dict(zone="sub.example.test", nameservers=["ns2.gandi.test"])]
    assert result["unresolved"] == []
    assert [call["method"] for call in transport.sent] == ["GET", "GET", "GET"]
    assert [call["url"] for call in transport.sent] == [API + "/domains", API + "/domains/example.test/nameservers",
                                                        API + "/domains/sub.example.test/nameservers"]


def test_a_name_outside_every_visible_zone_is_unresolved_not_an_error():
    client, transport = make_client(domains("example.test"), json_response(200, ["ns1.gandi.test"]))
    result = zone_info(client, ["www.example.test", "img.other.test"])
    assert result["unresolved"] == ["img.other.test"]
    assert result["names"][1] == dict(name="img.other.test", fqdn="_acme-challenge.img.other.test", zone=None,
                                      record=None)
    assert result["visible_zones"] == ["example.test"]
    assert len(transport.sent) == 2


def test_a_refused_credential_fails_with_the_reason_and_no_secret():
    client, transport = make_client(json_response(401, {"code": 401, "message": "Unauthorized"}))
    with pytest.raises(GandiAuthError) as caught:
        zone_info(client, ["example.test"])
    assert "HTTP 401" in caught.value.message
    assert PAT_VALUE not in caught.value.message
    assert len(transport.sent) == 1
