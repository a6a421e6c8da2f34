# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Gandi client fed with the real service's response shapes and status codes (fixtures/, sources named there)."""

from __future__ import annotations

import json
import os
import random

import pytest
import yaml

from ansible_collections.certops.acme.plugins.module_utils.gandi.client import (
    MAX_ZONE_PAGES,
    GandiApiError,
    GandiAuthError,
    GandiClient,
    RRset,
    RRsetConflict,
)
from ansible_collections.certops.acme.plugins.module_utils.gandi.credentials import detect_credential
from ansible_collections.certops.acme.plugins.module_utils.gandi.txt_plan import RRsetKey
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, Response, RetryPolicy
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock, FakeTransport, json_response

API = "https://api.gandi.net/v5/livedns"
FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
PAT_VALUE = "0123456789abcdef0123456789abcdef01234567"
API_KEY_VALUE = "abcdefghij0123456789klmn"
KEY = RRsetKey("example.com", "_acme-challenge")


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def response(recorded):
    if "body_text" in recorded:
        body = recorded["body_text"].encode("utf-8")
    else:
        body = json.dumps(recorded["body"]).encode("utf-8")
    return Response(recorded["status"], recorded.get("headers") or {}, body)


def answers(name):
    recorded = fixture(name)
    return [response(page) for page in recorded["pages"]] if "pages" in recorded else [response(recorded)]


def make_client(*queued, **credential):
    credential = credential or dict(personal_access_token=PAT_VALUE)
    detected, _warnings = detect_credential(**credential)
    transport = FakeTransport(queued)
    http = HttpClient(API, transport=transport, clock=FakeClock(), rng=random.Random(3), secrets=[detected.secret],
                      retry=RetryPolicy(max_attempts=2))
    return GandiClient(http, detected), transport


# --- pagination --------------------------------------------------------------------
def test_zone_on_the_third_page_is_found_by_following_link_next():
    client, transport = make_client(*answers("domains_link_pages.yml"))
    assert client.zone_of("_acme-challenge.www.example.com.") == "example.com"
    assert [sent["url"] for sent in transport.sent] == [
        API + "/domains", API + "/domains?page=2&per_page=2", API + "/domains?page=3&per_page=2"]
    assert client.zones() == ["alpha.example", "bravo.example", "charlie.example", "delta.example", "example.com"]
    assert len(transport.sent) == 3


def test_without_link_pages_are_read_until_total_count():
    client, transport = make_client(*answers("domains_total_count_pages.yml"))
    assert client.zone_of("_acme-challenge.example.com") == "example.com"
    assert [sent["url"] for sent in transport.sent] == [
        API + "/domains", API + "/domains?page=2&per_page=1", API + "/domains?page=3&per_page=1"]
    assert all(sent["headers"]["Authorization"] == "Bearer " + PAT_VALUE for sent in transport.sent)


def test_one_page_without_pagination_headers_is_the_whole_listing():
    client, transport = make_client(json_response(200, [{"fqdn": "example.com"}]))
    assert client.zone_of("_acme-challenge.example.com") == "example.com"
    assert len(transport.sent) == 1


def test_an_empty_page_ends_the_listing_even_if_total_count_says_more():
    client, transport = make_client(
        json_response(200, [{"fqdn": "alpha.example"}], headers={"Total-Count": "9"}),
        json_response(200, [], headers={"Total-Count": "9"}))
    assert client.zones() == ["alpha.example"]
    assert len(transport.sent) == 2


def test_a_link_to_another_host_is_not_followed_and_total_count_is_used_instead():
    evil = {"Link": '<https://elsewhere.example/v5/livedns/domains?page=2>; rel="next"', "Total-Count": "2"}
    client, transport = make_client(json_response(200, [{"fqdn": "alpha.example"}], headers=evil),
                                    json_response(200, [{"fqdn": "example.com"}], headers={"Total-Count": "2"}))
    assert client.zones() == ["alpha.example", "example.com"]
    assert [sent["url"] for sent in transport.sent][-1] == API + "/domains?page=2&per_page=1"


def test_a_relative_link_is_resolved_on_the_api_url():
    link = {"Link": '</v5/livedns/domains?cursor=abc>; rel="next"'}
    client, transport = make_client(json_response(200, [{"fqdn": "alpha.example"}], headers=link),
                                    json_response(200, [{"fqdn": "example.com"}]))
    assert client.zones() == ["alpha.example", "example.com"]
    assert transport.sent[1]["url"] == API + "/domains?cursor=abc"


def test_a_server_that_repeats_its_next_link_fails_instead_of_looping():
    link = {"Link": '<%s/domains?page=2>; rel="next"' % API}
    client, transport = make_client(*[json_response(200, [{"fqdn": "z%d.example" % n}], headers=link)
                                      for n in range(3)])
    with pytest.raises(GandiApiError, match="did not end after 2 pages"):
        client.zones()
    assert len(transport.sent) == 2


def test_a_server_that_never_ends_is_cut_at_the_page_cap():
    def page(method, url, headers, body):
        return json_response(200, [{"fqdn": "z%d.example" % len(url)}], headers={"Total-Count": "100000"})
    client, transport = make_client(*[page] * (MAX_ZONE_PAGES + 5))
    with pytest.raises(GandiApiError, match="did not end after %d pages" % MAX_ZONE_PAGES):
        client.zones()
    assert len(transport.sent) == MAX_ZONE_PAGES


# --- 401 and 403 -------------------------------------------------------------------
@pytest.mark.parametrize("name, status", [("forbidden_403.yml", 403), ("unauthorized_401.yml", 401)])
@pytest.mark.parametrize("credential, scheme, detected", [
    (dict(personal_access_token=PAT_VALUE), "Bearer", "looks like a personal access token"),
    (dict(api_key=API_KEY_VALUE), "Apikey", "looks like an API key"),
    (dict(personal_access_token="pat_abc-123"), "Bearer", "has neither known shape"),
    (dict(api_key="AbCdEfGhIj0123456789KlMn"), "Apikey", "has neither known shape"),
])
def test_401_and_403_explain_kind_scheme_expiry_scope_and_both_permissions(
        name, status, credential, scheme, detected):
    # A 403 on a zone also lists the zones, to say whether the zone is in the credential's scope.
    client, _transport = make_client(*answers(name) * 2, **credential)
    with pytest.raises(GandiAuthError) as caught:
        client.replace_rrset(KEY, ('"a"',), 300)
    message = str(caught.value)
    assert "HTTP %d" % status in message
    assert detected in message
    assert "'Authorization: %s'" % scheme in message
    assert "expired" in message
    assert "organisation" in message
    assert "'See and renew domain names'" in message
    assert "'Manage domain name technical configurations'" in message
    assert caught.value.details["auth_scheme"] == scheme
    secret = next(iter(credential.values()))
    assert secret not in message + repr(caught.value.details)


def test_unknown_shape_refusal_says_how_to_send_it_as_the_other_kind():
    client, _transport = make_client(*answers("forbidden_403.yml") * 2, personal_access_token="pat_abc-123")
    with pytest.raises(GandiAuthError) as caught:
        client.get_rrset(KEY)
    assert "it came in personal_access_token" in str(caught.value)
    assert "'Authorization: Apikey'" in str(caught.value)


# --- rrset answers -----------------------------------------------------------------
def test_404_of_a_missing_rrset_is_none():
    client, _transport = make_client(*answers("rrset_not_found_404.yml"))
    assert client.get_rrset(KEY) is None


def test_404_of_a_write_quotes_gandi():
    client, _transport = make_client(*answers("rrset_not_found_404.yml"))
    with pytest.raises(GandiApiError) as caught:
        client.replace_rrset(KEY, ('"a"',), 300)
    assert "Can't find the DNS record _acme-challenge/TXT in the zone; Not Found" in str(caught.value)


def test_400_ttl_errors_list_is_quoted():
    client, _transport = make_client(*answers("ttl_too_low_400.yml"))
    with pytest.raises(GandiApiError) as caught:
        client.replace_rrset(KEY, ('"a"',), 60)
    assert "HTTP 400 rrset_ttl: 60 is less than minimum value 300" in str(caught.value)
    assert not isinstance(caught.value, GandiAuthError)


def test_409_of_a_create_is_a_conflict():
    client, _transport = make_client(*answers("rrset_exists_409.yml"))
    with pytest.raises(RRsetConflict):
        client.create_rrset(KEY, ('"a"',), 300)


@pytest.mark.parametrize("method", ["create_rrset", "replace_rrset"])
def test_201_record_created(method):
    client, transport = make_client(*answers("record_created_201.yml"))
    getattr(client, method)(KEY, ('"a"',), None)
    assert json.loads(transport.sent[0]["body"]) == {"rrset_values": ['"a"']}


def test_204_empty_delete():
    client, transport = make_client(*answers("rrset_deleted_204.yml"))
    client.delete_rrset(KEY)
    assert transport.sent[0]["method"] == "DELETE"


def test_200_rrset_with_quoted_values():
    client, _transport = make_client(*answers("rrset_txt_200.yml"))
    assert client.get_rrset(KEY) == RRset(10800, ('"v=spf1 -all"', '"other-client-token"'))
