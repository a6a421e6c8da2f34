# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import random

import pytest

from ansible_collections.certops.acme.plugins.module_utils.gandi.client import (
    GandiApiError,
    GandiAuthError,
    GandiClient,
    RRset,
    RRsetConflict,
)
from ansible_collections.certops.acme.plugins.module_utils.gandi.credentials import detect_credential
from ansible_collections.certops.acme.plugins.module_utils.gandi.txt_plan import RRsetKey
from ansible_collections.certops.acme.plugins.module_utils.http_client import (
    HttpClient, NetworkError, RetryPolicy, TransientFaultError, TransportFailure,
)
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock, FakeTransport, json_response

API = "https://api.test/v5/livedns"
PAT_VALUE = "0123456789abcdef0123456789abcdef01234567"
API_KEY_VALUE = "abcdefghij0123456789klmn"
KEY = RRsetKey("example.test", "_acme-challenge")
RRSET_PATH = API + "/domains/example.test/records/_acme-challenge/TXT"
FORBIDDEN = {"code": 403, "message": "Access was denied to this resource.", "object": "HTTPForbidden",
             "cause": "Forbidden"}


def make_client(*answers, pat=PAT_VALUE, api_key=None):
    credential, _warnings = detect_credential(personal_access_token=pat, api_key=api_key)
    transport = FakeTransport(answers)
    clock = FakeClock()
    http = HttpClient(API, transport=transport, clock=clock, rng=random.Random(7), secrets=[credential.secret],
                      retry=RetryPolicy(max_attempts=4))
    return GandiClient(http, credential), transport, clock


def domains(*fqdns):
    return json_response(200, [{"fqdn": fqdn, "domain_href": API + "/domains/" + fqdn} for fqdn in fqdns])


def rrset(values, ttl=300):
    return json_response(200, {"rrset_name": "_acme-challenge", "rrset_type": "TXT", "rrset_ttl": ttl,
                               "rrset_values": list(values), "rrset_href": RRSET_PATH})


def test_zones_are_listed_once_and_normalised():
    client, transport, _clock = make_client(domains("Example.test", "other.test."))
    assert client.zones() == ["example.test", "other.test"]
    assert client.zones() == ["example.test", "other.test"]
    assert len(transport.sent) == 1
    assert transport.sent[0]["url"] == API + "/domains"
    assert transport.sent[0]["headers"]["Authorization"] == "Bearer " + PAT_VALUE


def test_api_key_is_sent_with_the_apikey_scheme():
    client, transport, _clock = make_client(domains("example.test"), pat=None, api_key=API_KEY_VALUE)
    client.zones()
    assert transport.sent[0]["headers"]["Authorization"] == "Apikey " + API_KEY_VALUE


def test_get_rrset_returns_values_and_ttl():
    client, transport, _clock = make_client(rrset(['"a"', '"v=spf1 -all"'], ttl=600))
    assert client.get_rrset(KEY) == RRset(600, ('"a"', '"v=spf1 -all"'))
    assert transport.sent[0]["method"] == "GET"
    assert transport.sent[0]["url"] == RRSET_PATH


def test_get_missing_rrset_is_none():
    client, _transport, _clock = make_client(json_response(404, {"code": 404, "message": "Can't find the DNS record"}))
    assert client.get_rrset(KEY) is None


def test_apex_name_is_sent_as_at():
    client, transport, _clock = make_client(json_response(404, {}))
    client.get_rrset(RRsetKey("example.test", "@"))
    assert transport.sent[0]["url"] == API + "/domains/example.test/records/@/TXT"


def test_create_posts_values_and_ttl_as_json():
    client, transport, _clock = make_client(json_response(201, {"message": "DNS Record Created"}))
    client.create_rrset(KEY, ('"a"', '"b"'), 300)
    sent = transport.sent[0]
    assert sent["method"] == "POST"
    assert sent["headers"]["Content-Type"] == "application/json"
    assert json.loads(sent["body"]) == {"rrset_values": ['"a"', '"b"'], "rrset_ttl": 300}


def test_create_conflict_is_typed():
    client, _transport, _clock = make_client(json_response(409, {"code": 409, "message": "already exists"}))
    with pytest.raises(RRsetConflict):
        client.create_rrset(KEY, ('"a"',), 300)


def test_create_is_retried_after_a_5xx_because_a_duplicate_answers_409():
    client, transport, _clock = make_client(json_response(502, {}), json_response(201, {}))
    client.create_rrset(KEY, ('"a"',), 300)
    assert [sent["method"] for sent in transport.sent] == ["POST", "POST"]


def test_replace_puts_the_whole_rrset():
    client, transport, _clock = make_client(json_response(201, {"message": "DNS Record Created"}))
    client.replace_rrset(KEY, ('"v=spf1 -all"', '"a"'), 600)
    assert transport.sent[0]["method"] == "PUT"
    assert json.loads(transport.sent[0]["body"]) == {"rrset_values": ['"v=spf1 -all"', '"a"'], "rrset_ttl": 600}


@pytest.mark.parametrize("status", [204, 404])
def test_delete_accepts_gone(status):
    client, transport, _clock = make_client(json_response(status, None))
    client.delete_rrset(KEY)
    assert transport.sent[0]["method"] == "DELETE"


def test_429_is_retried_honouring_retry_after():
    client, transport, clock = make_client(json_response(429, {}, headers={"Retry-After": "3"}), rrset(['"a"']))
    assert client.get_rrset(KEY).values == ('"a"',)
    assert len(transport.sent) == 2
    assert clock.sleeps and clock.sleeps[0] >= 3


def test_5xx_and_resets_are_retried_with_growing_backoff_then_give_up_saying_how_many_tries():
    client, transport, clock = make_client(json_response(502, {}), TransportFailure("connection reset"),
                                           json_response(503, {}), json_response(500, {}))
    with pytest.raises(TransientFaultError) as caught:
        client.get_rrset(KEY)
    assert len(transport.sent) == 4
    assert caught.value.details["attempts"] == 4
    assert "4 attempts" in str(caught.value)
    assert len(clock.sleeps) == 3
    assert clock.sleeps[0] < clock.sleeps[2]


def test_network_failure_of_last_try_is_reported():
    client, _transport, _clock = make_client(*[TransportFailure("timed out")] * 4)
    with pytest.raises(NetworkError, match="4 attempts"):
        client.zones()


def test_401_explains_kind_scheme_and_shapes_without_the_secret():
    client, _transport, _clock = make_client(json_response(401, {"code": 401, "message": "You must provide an "
                                                                 "access token or an API Key."}))
    with pytest.raises(GandiAuthError) as caught:
        client.get_rrset(KEY)
    message = str(caught.value)
    assert "HTTP 401" in message
    assert "personal access token" in message and "'Authorization: Bearer'" in message
    assert "24 characters [a-z0-9]" in message and "40 hexadecimal" in message
    assert "Manage domain name technical configurations" in message
    assert "You must provide an access token" in message
    assert PAT_VALUE not in message + repr(caught.value.details)
    assert caught.value.details["auth_scheme"] == "Bearer"


def test_403_on_a_zone_outside_the_token_scope_says_so():
    client, transport, _clock = make_client(json_response(403, FORBIDDEN), domains("example.test"))
    with pytest.raises(GandiAuthError) as caught:
        client.get_rrset(RRsetKey("other.test", "_acme-challenge"))
    message = str(caught.value)
    assert "HTTP 403" in message
    assert "other.test is outside the scope of this credential: it can only see example.test" in message
    assert "Manage domain name technical configurations" in message
    assert PAT_VALUE not in message
    assert [sent["url"] for sent in transport.sent][-1] == API + "/domains"


def test_403_on_a_visible_zone_points_at_the_rights():
    client, _transport, _clock = make_client(domains("example.test"), json_response(403, FORBIDDEN))
    client.zones()
    with pytest.raises(GandiAuthError) as caught:
        client.replace_rrset(KEY, ('"a"',), 300)
    assert "example.test is among the zones this credential can see" in str(caught.value)


def test_403_when_the_zones_cannot_be_listed_either():
    client, _transport, _clock = make_client(json_response(403, FORBIDDEN), json_response(401, {}))
    with pytest.raises(GandiAuthError, match="could not be listed"):
        client.get_rrset(KEY)


def test_400_carries_gandi_errors():
    body = {"code": 400, "message": "Validation error", "object": "HTTPBadRequest",
            "errors": [{"location": "body", "name": "rrset_ttl", "description": "must be >= 300"}]}
    client, _transport, _clock = make_client(json_response(400, body))
    with pytest.raises(GandiApiError) as caught:
        client.replace_rrset(KEY, ('"a"',), 60)
    assert "HTTP 400 Validation error; rrset_ttl: must be >= 300" in str(caught.value)
    assert not isinstance(caught.value, GandiAuthError)


def test_404_on_a_write_names_the_zone():
    client, _transport, _clock = make_client(json_response(404, {"message": "Not found"}))
    with pytest.raises(GandiApiError, match="the zone example.test does not exist"):
        client.replace_rrset(KEY, ('"a"',), 300)


def test_secret_echoed_by_the_server_is_redacted():
    client, _transport, _clock = make_client(json_response(400, {"message": "bad token " + PAT_VALUE}))
    with pytest.raises(GandiApiError) as caught:
        client.zones()
    assert PAT_VALUE not in str(caught.value) + repr(caught.value.details)


def test_nameservers():
    client, transport, _clock = make_client(json_response(200, ["ns1.example.test", "ns2.example.test."]))
    assert client.nameservers("example.test") == ["ns1.example.test", "ns2.example.test"]
    assert transport.sent[0]["url"] == API + "/domains/example.test/nameservers"


def test_unexpected_rrset_body_is_an_error():
    client, _transport, _clock = make_client(json_response(200, ["not", "an", "rrset"]))
    with pytest.raises(GandiApiError, match="unexpected body"):
        client.get_rrset(KEY)
