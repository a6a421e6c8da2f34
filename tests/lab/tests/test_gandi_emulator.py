# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""The Gandi LiveDNS emulator of the lab, tested over HTTPS and real DNS packets."""

import threading
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest
import requests

ZONE = "example.test"
OTHER_ZONE = "other.test"
DNS_TIMEOUT = 2.0


# --- helpers -------------------------------------------------------------------
class Gandi:
    """A minimal LiveDNS client for the tests: one credential, explicit trust."""

    def __init__(self, lab, authorization):
        self.base_url = lab["gandi_api_url"]
        self.ca_path = lab["ca_path"]
        self.headers = {"Authorization": authorization} if authorization else {}

    def call(self, method, path, **kwargs):
        headers = dict(self.headers, **kwargs.pop("headers", {}))
        return requests.request(method, self.base_url + path, headers=headers, verify=self.ca_path, timeout=10, **kwargs)

    def rrset_path(self, name, rtype, zone=ZONE):
        return "/domains/%s/records/%s/%s" % (zone, name, rtype)

    def put(self, name, rtype, values, ttl=None, zone=ZONE):
        body = {"rrset_values": values}
        if ttl is not None:
            body["rrset_ttl"] = ttl
        return self.call("PUT", self.rrset_path(name, rtype, zone), json=body)


@pytest.fixture
def pat_client(lab, gandi_lab):
    return Gandi(lab, "Bearer " + lab["gandi_pat"])


@pytest.fixture
def key_client(lab, gandi_lab):
    return Gandi(lab, "Apikey " + lab["gandi_api_key"])


def dns_server(lab):
    host, port = lab["gandi_dns"].rsplit(":", 1)
    return host, int(port)


def query(lab, name, rtype, transport="udp", **make_query_options):
    host, port = dns_server(lab)
    message = dns.message.make_query(name, rtype, **make_query_options)
    send = dns.query.udp if transport == "udp" else dns.query.tcp
    return send(message, host, port=port, timeout=DNS_TIMEOUT)


def txt_strings(response):
    return sorted(b"".join(rdata.strings).decode() for rrset in response.answer for rdata in rrset)


def assert_error_shape(response, status, obj):
    body = response.json()
    assert response.status_code == status
    assert body["code"] == status and body["object"] == obj and body["message"] and body["cause"]
    return body


# --- credentials -----------------------------------------------------------------
def test_each_credential_is_accepted_with_its_own_scheme_only(lab, gandi_lab):
    pat, key = lab["gandi_pat"], lab["gandi_api_key"]
    assert Gandi(lab, "Bearer " + pat).call("GET", "/domains").status_code == 200
    assert Gandi(lab, "Apikey " + key).call("GET", "/domains").status_code == 200
    refused = {
        "PAT sent as Apikey": "Apikey " + pat,
        "key sent as Bearer": "Bearer " + key,
        "unknown PAT": "Bearer " + "0" * 40,
        "unknown key": "Apikey " + "z" * 24,
        "no credential": None,
    }
    for authorization in refused.values():
        body = assert_error_shape(Gandi(lab, authorization).call("GET", "/domains"), 401, "HTTPUnauthorized")
        assert body["cause"] == "Unauthorized"
        assert "access token or an API Key" in body["message"]
    logged = [entry["auth"] for entry in gandi_lab.requests()]
    assert logged == ["Bearer", "Apikey", "Apikey", "Bearer", "Bearer", "Apikey", None]


def test_legacy_x_api_key_header_is_refused(lab, gandi_lab):
    response = Gandi(lab, None).call("GET", "/domains", headers={"X-Api-Key": lab["gandi_api_key"]})
    assert_error_shape(response, 401, "HTTPUnauthorized")


def test_pat_sees_and_manages_only_its_zone(pat_client, key_client):
    assert [zone["fqdn"] for zone in pat_client.call("GET", "/domains").json()] == [ZONE]
    assert sorted(zone["fqdn"] for zone in key_client.call("GET", "/domains").json()) == [ZONE, OTHER_ZONE]
    for response in (pat_client.call("GET", "/domains/other.test/records"),
                     pat_client.put("_acme-challenge", "TXT", ["x"], zone=OTHER_ZONE)):
        body = assert_error_shape(response, 403, "HTTPForbidden")
        assert body["message"] == "Access was denied to this resource." and body["cause"] == "Forbidden"
    assert key_client.put("_acme-challenge", "TXT", ["x"], zone=OTHER_ZONE).status_code == 201


# --- zones and rrsets ------------------------------------------------------------------
def test_zone_resources(pat_client):
    assert pat_client.call("GET", "/domains/%s" % ZONE).json()["fqdn"] == ZONE
    assert_error_shape(pat_client.call("GET", "/domains/unknown.test"), 404, "HTTPNotFound")
    assert pat_client.call("GET", "/domains/%s/nameservers" % ZONE).json() == ["ns1.example.test", "ns2.example.test"]
    rrsets = pat_client.call("GET", "/domains/%s/records" % ZONE).json()
    assert {(r["rrset_name"], r["rrset_type"]) for r in rrsets} == {
        ("@", "NS"), ("@", "A"), ("www", "A"), ("ns1", "A"), ("ns2", "A")}


def test_txt_values_are_stored_and_returned_quoted(pat_client):
    response = pat_client.call("PUT", pat_client.rrset_path("_acme-challenge", "TXT") + "?sharing_id=ignored",
                               json={"rrset_values": ["unquoted-token", '"quoted-token"']})
    assert response.status_code == 201 and response.json() == {"message": "DNS Record Created"}
    rrset = pat_client.call("GET", pat_client.rrset_path("_acme-challenge", "TXT")).json()
    assert rrset["rrset_values"] == ['"unquoted-token"', '"quoted-token"']
    assert rrset["rrset_ttl"] == 10800  # the default when rrset_ttl is omitted
    assert rrset["rrset_name"] == "_acme-challenge" and rrset["rrset_type"] == "TXT"
    assert rrset["rrset_href"].endswith("/domains/example.test/records/_acme-challenge/TXT")


def test_put_replaces_every_value(pat_client):
    pat_client.put("_acme-challenge", "TXT", ["one", "two"])
    pat_client.put("_acme-challenge", "TXT", ["three"], ttl=300)
    rrset = pat_client.call("GET", pat_client.rrset_path("_acme-challenge", "TXT")).json()
    assert rrset["rrset_values"] == ['"three"'] and rrset["rrset_ttl"] == 300


def test_missing_rrset_is_404_on_read_and_delete(pat_client):
    path = pat_client.rrset_path("_acme-challenge", "TXT")
    assert_error_shape(pat_client.call("GET", path), 404, "HTTPNotFound")
    assert_error_shape(pat_client.call("DELETE", path), 404, "HTTPNotFound")
    pat_client.put("_acme-challenge", "TXT", ["x"])
    assert pat_client.call("DELETE", path).status_code == 204
    assert pat_client.call("GET", path).status_code == 404


def test_post_creates_once_then_conflicts(pat_client):
    path = pat_client.rrset_path("_acme-challenge", "TXT")
    assert pat_client.call("POST", path, json={"rrset_values": ["a"]}).status_code == 201
    assert_error_shape(pat_client.call("POST", path, json={"rrset_values": ["b"]}), 409, "HTTPConflict")
    assert pat_client.call("GET", path).json()["rrset_values"] == ['"a"']


@pytest.mark.parametrize("ttl", [60, 299, 2592001])
def test_ttl_out_of_range_is_refused(pat_client, ttl):
    body = assert_error_shape(pat_client.put("_acme-challenge", "TXT", ["x"], ttl=ttl), 400, "HTTPBadRequest")
    assert body["message"] == "Validation error"
    assert body["errors"][0]["location"] == "body" and body["errors"][0]["name"] == "rrset_ttl"


@pytest.mark.parametrize("body", [
    {"rrset_values": []},
    {"rrset_values": "not-a-list"},
    {"rrset_values": ["x"], "rrset_ttl": "300"},
    {"rrset_ttl": 300},
])
def test_invalid_write_bodies_are_refused(pat_client, body):
    response = pat_client.call("PUT", pat_client.rrset_path("_acme-challenge", "TXT"), json=body)
    assert_error_shape(response, 400, "HTTPBadRequest")


def test_body_that_is_not_json_is_refused(pat_client):
    response = pat_client.call("PUT", pat_client.rrset_path("_acme-challenge", "TXT"), data=b"{not json",
                               headers={"Content-Type": "application/json"})
    assert_error_shape(response, 400, "HTTPBadRequest")


def test_absolute_names(pat_client):
    refused = pat_client.put("_acme-challenge.other.test.", "TXT", ["x"])
    assert assert_error_shape(refused, 400, "HTTPBadRequest")["message"] == "Absolute rrset_name must end with example.test."
    assert pat_client.put("_acme-challenge.example.test.", "TXT", ["x"]).status_code == 201
    assert pat_client.call("GET", pat_client.rrset_path("_acme-challenge", "TXT")).status_code == 200


def test_unknown_paths_and_methods(pat_client):
    assert_error_shape(pat_client.call("GET", "/nothing-here"), 404, "HTTPNotFound")
    response = pat_client.call("PATCH", pat_client.rrset_path("www", "A"), json={"rrset_values": ["127.0.0.2"]})
    assert_error_shape(response, 405, "HTTPMethodNotAllowed")
    assert "PUT" in response.headers["Allow"]


# --- request log and faults ---------------------------------------------------------------
def test_request_log_marks_writes(pat_client, gandi_lab):
    path = pat_client.rrset_path("_acme-challenge", "TXT")
    pat_client.call("GET", path)
    pat_client.put("_acme-challenge", "TXT", ["x"])
    pat_client.call("DELETE", path)
    gandi_lab.get("/zones")  # control calls are never logged
    log = gandi_lab.requests()
    expected = [("GET", 404, False), ("PUT", 201, True), ("DELETE", 204, True)]
    assert [(e["method"], e["status"], e["write"]) for e in log] == expected
    assert [e["path"] for e in gandi_lab.writes()] == ["/v5/livedns" + path] * 2
    assert [e["seq"] for e in log] == sorted(e["seq"] for e in log)


def test_fault_answers_once_then_the_call_succeeds(pat_client, gandi_lab):
    gandi_lab.fault("http_502", path="/records/", method="PUT")
    assert pat_client.call("GET", "/domains").status_code == 200  # does not match the fault
    assert_error_shape(pat_client.put("_acme-challenge", "TXT", ["x"]), 502, "HTTPBadGateway")
    assert pat_client.put("_acme-challenge", "TXT", ["x"]).status_code == 201
    log = gandi_lab.requests()
    assert [(e["status"], e["fault"]) for e in log] == [(200, None), (502, "http_502"), (201, None)]
    assert gandi_lab.get("/faults") == {"faults": []}


def test_rate_limit_fault_sends_retry_after(pat_client, gandi_lab):
    gandi_lab.fault("http_429", count=2, retry_after=3)
    for _attempt in range(2):
        response = pat_client.call("GET", "/domains")
        assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert pat_client.call("GET", "/domains").status_code == 200


def test_reset_fault_closes_the_connection(pat_client, gandi_lab):
    gandi_lab.fault("reset")
    with pytest.raises(requests.ConnectionError):
        pat_client.call("GET", "/domains")
    assert gandi_lab.requests()[0]["fault"] == "reset"


def test_stalled_request_does_not_block_others(pat_client, gandi_lab):
    gandi_lab.fault("stall", stall_seconds=3, path="/nameservers")
    outcome = {}

    def stalled_call():
        try:
            outcome["status"] = pat_client.call("GET", "/domains/%s/nameservers" % ZONE).status_code
        except requests.ConnectionError as error:
            outcome["error"] = error

    thread = threading.Thread(target=stalled_call)
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)
    assert pat_client.call("GET", "/domains").status_code == 200
    assert time.monotonic() - started < 2
    thread.join(timeout=10)
    assert "error" in outcome and time.monotonic() - started >= 2.5


# --- DNS ------------------------------------------------------------------------------------
def test_dns_answers_authoritatively(lab, gandi_lab):
    response = query(lab, "www.example.test", "A")
    assert response.rcode() == dns.rcode.NOERROR and response.flags & dns.flags.AA
    assert [rdata.to_text() for rdata in response.answer[0]] == ["127.0.0.1"]
    ns = query(lab, "example.test", "NS", transport="tcp")
    assert sorted(r.to_text() for r in ns.answer[0]) == ["ns1.example.test.", "ns2.example.test."]


def test_dns_negative_answers(lab, gandi_lab):
    missing = query(lab, "missing.example.test", "A")
    assert missing.rcode() == dns.rcode.NXDOMAIN and missing.flags & dns.flags.AA
    assert missing.authority[0].rdtype == dns.rdatatype.SOA
    nodata = query(lab, "www.example.test", "TXT")
    assert nodata.rcode() == dns.rcode.NOERROR and not nodata.answer
    assert nodata.authority[0].rdtype == dns.rdatatype.SOA
    outside = query(lab, "example.org", "A")
    assert outside.rcode() == dns.rcode.REFUSED and not outside.flags & dns.flags.AA


def test_change_reaches_dns_only_after_the_propagation_delay(lab, gandi_lab, pat_client):
    delay = 2.0
    gandi_lab.config(propagation_delay=delay)
    serial_before = query(lab, "example.test", "SOA").answer[0][0].serial
    written = time.monotonic()
    assert pat_client.put("_acme-challenge", "TXT", ["token-a", "token-b"]).status_code == 201
    # The API shows the change at once; DNS does not, over either transport.
    assert pat_client.call("GET", pat_client.rrset_path("_acme-challenge", "TXT")).status_code == 200
    for transport in ("udp", "tcp"):
        assert query(lab, "_acme-challenge.example.test", "TXT", transport).rcode() == dns.rcode.NXDOMAIN

    deadline = written + delay + 3
    while txt_strings(query(lab, "_acme-challenge.example.test", "TXT")) != ["token-a", "token-b"]:
        assert time.monotonic() < deadline, "the change never reached DNS"
        time.sleep(0.1)
    assert time.monotonic() - written >= delay - 0.2
    assert txt_strings(query(lab, "_acme-challenge.example.test", "TXT", "tcp")) == ["token-a", "token-b"]
    assert query(lab, "example.test", "SOA").answer[0][0].serial == serial_before + 1


def test_large_answers_are_truncated_over_udp_and_complete_over_tcp(lab, gandi_lab, pat_client):
    values = ["value-%02d-%s" % (i, "x" * 40) for i in range(40)]  # about 2 KB of TXT data
    assert pat_client.put("_acme-challenge", "TXT", values).status_code == 201
    plain = query(lab, "_acme-challenge.example.test", "TXT", use_edns=False)
    assert plain.flags & dns.flags.TC
    host, port = dns_server(lab)
    message = dns.message.make_query("_acme-challenge.example.test", "TXT")
    response, used_tcp = dns.query.udp_with_fallback(message, host, port=port, timeout=DNS_TIMEOUT)
    assert used_tcp and txt_strings(response) == sorted(values)


def test_reset_restores_the_initial_zones(lab, gandi_lab, pat_client):
    configured = gandi_lab.config()
    pat_client.put("_acme-challenge", "TXT", ["x"])
    gandi_lab.config(propagation_delay=configured["propagation_delay"] + 5)
    gandi_lab.fault("http_500")
    gandi_lab.reset()
    assert gandi_lab.requests() == [] and gandi_lab.get("/faults") == {"faults": []}
    assert pat_client.call("GET", pat_client.rrset_path("_acme-challenge", "TXT")).status_code == 404
    assert gandi_lab.requests()[0]["seq"] == 1
    assert gandi_lab.config() == configured
    zones = gandi_lab.get("/zones")["zones"]
    assert sorted(zones) == [ZONE, OTHER_ZONE] and zones[ZONE]["pending_changes"] == 0


def test_long_txt_value_is_split_into_255_octet_strings(lab, gandi_lab, pat_client):
    value = "v" * 300
    assert pat_client.put("_acme-challenge", "TXT", [value]).status_code == 201
    stored = pat_client.call("GET", pat_client.rrset_path("_acme-challenge", "TXT")).json()["rrset_values"]
    assert stored == ['"%s" "%s"' % ("v" * 255, "v" * 45)]
    rdata = query(lab, "_acme-challenge.example.test", "TXT").answer[0][0]
    assert [len(string) for string in rdata.strings] == [255, 45]


# --- switches (off by default) -------------------------------------------------------------
def test_switches_are_off_by_default_and_reset_turns_them_off(gandi_lab, pat_client):
    settings = gandi_lab.config()
    assert settings["zones_per_page"] == 0 and settings["filler_zones"] == 0
    assert settings["token_refusal_status"] == 401 and settings["token_expired"] is False
    response = pat_client.call("GET", "/domains")
    assert "Link" not in response.headers and "Total-Count" not in response.headers
    gandi_lab.config(zones_per_page=2, filler_zones=4, token_refusal_status=403, token_expired=True)
    gandi_lab.reset()
    assert gandi_lab.config() == settings


@pytest.mark.parametrize("values", [
    {"zones_per_page": -1}, {"zones_per_page": True}, {"filler_zones": "4"}, {"pagination_headers": "both"},
    {"token_refusal_status": 404}, {"token_expired": 1}, {"no_such_switch": 1},
    {"zones_per_page": 2, "token_refusal_status": 500},
])
def test_bad_switch_values_are_refused_and_change_nothing(gandi_lab, values):
    before = gandi_lab.config()
    with pytest.raises(requests.HTTPError) as caught:
        gandi_lab.config(**values)
    assert caught.value.response.status_code == 400
    assert gandi_lab.config() == before


def list_pages(client, path="/domains"):
    """Follow rel="next" links like a careful client; return the zones of each page and the responses."""
    pages, responses = [], []
    url = client.base_url + path
    while url:
        response = requests.get(url, headers=client.headers, verify=client.ca_path, timeout=10)
        assert response.status_code == 200
        responses.append(response)
        pages.append([zone["fqdn"] for zone in response.json()])
        url = response.links.get("next", {}).get("url")
        assert len(pages) < 10
    return pages, responses


def test_paginated_listing_puts_the_lab_zone_on_page_3_with_link_and_total_count(gandi_lab, pat_client, key_client):
    gandi_lab.config(zones_per_page=2, filler_zones=4)
    pages, responses = list_pages(pat_client)
    assert pages == [["filler-01.test", "filler-02.test"], ["filler-03.test", "filler-04.test"], [ZONE]]
    assert [r.headers["Total-Count"] for r in responses] == ["5"] * 3
    assert responses[0].links["last"]["url"].endswith("/domains?page=3&per_page=2")
    assert "prev" not in responses[0].links and "next" not in responses[2].links
    key_pages, _responses = list_pages(key_client)
    assert key_pages[2] == [ZONE, OTHER_ZONE]
    # per_page above the cap is cut to it; page beyond the end is empty.
    assert len(pat_client.call("GET", "/domains?per_page=100").json()) == 2
    assert pat_client.call("GET", "/domains?page=9&per_page=2").json() == []
    assert_error_shape(pat_client.call("GET", "/domains?page=0"), 400, "HTTPBadRequest")


@pytest.mark.parametrize("mode, link, total", [("total_count", False, True), ("link", True, False)])
def test_pagination_headers_can_be_one_kind_only(gandi_lab, pat_client, mode, link, total):
    gandi_lab.config(zones_per_page=2, filler_zones=4, pagination_headers=mode)
    response = pat_client.call("GET", "/domains")
    assert ("Link" in response.headers) is link and ("Total-Count" in response.headers) is total
    assert [zone["fqdn"] for zone in pat_client.call("GET", "/domains?page=3&per_page=2").json()] == [ZONE]


def test_unknown_or_expired_token_gets_403_when_switched_on(lab, gandi_lab):
    unknown = Gandi(lab, "Bearer " + "0" * 40)
    assert unknown.call("GET", "/domains").status_code == 401
    gandi_lab.config(token_refusal_status=403)
    for client in (unknown, Gandi(lab, "Bearer pat_abc-123"), Gandi(lab, "Bearer " + lab["gandi_api_key"])):
        body = assert_error_shape(client.call("GET", "/domains"), 403, "HTTPForbidden")
        assert body["message"] == "Access was denied to this resource."
    # API keys keep 401 (Gandi documents 401 for a wrong API key), and so does no credential.
    assert Gandi(lab, "Apikey " + "z" * 24).call("GET", "/domains").status_code == 401
    assert Gandi(lab, None).call("GET", "/domains").status_code == 401
    assert Gandi(lab, "Bearer " + lab["gandi_pat"]).call("GET", "/domains").status_code == 200
    gandi_lab.config(token_expired=True)
    assert_error_shape(Gandi(lab, "Bearer " + lab["gandi_pat"]).call("GET", "/domains"), 403, "HTTPForbidden")
    assert Gandi(lab, "Apikey " + lab["gandi_api_key"]).call("GET", "/domains").status_code == 200
