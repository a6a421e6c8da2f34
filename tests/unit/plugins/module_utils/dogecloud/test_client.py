# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import hashlib
import hmac
import json
import random
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import (
    AccessTokenError, DogeCloudApiError, DogeCloudClient, RemoteCertificate)
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, Response, TransientFaultError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock, FakeTransport, json_response

ACCESS = "AKIDlabaccess0001"
SECRET = "lab-secret-do-not-print-0123456789"
CERT_ITEM = {"id": 1001, "name": "example.test", "note": "certops-example.test-0123456789ab", "expire": 1780000000, "domainCount": 2,
             "info": {"SAN": ["*.example.test", "example.test"], "type": "ECC", "period": "x"}}


def _client(answers, base_url="https://api.dogecloud.test"):
    transport = FakeTransport(answers)
    clock = FakeClock()
    http = HttpClient(base_url, transport=transport, clock=clock, rng=random.Random(1), secrets=[SECRET])
    return DogeCloudClient(http, ACCESS, SECRET), transport, clock


def _ok(data=None):
    envelope = {"code": 200, "msg": "OK"}
    if data is not None:
        envelope["data"] = data
    return json_response(200, envelope)


def _expected_header(sent):
    """The header recomputed from what went on the wire: URI as sent, body bytes as sent."""
    url = urlsplit(sent["url"])
    request_uri = url.path + ("?" + url.query if url.query else "")
    message = request_uri.encode("ascii") + b"\n" + (sent["body"] or b"")
    return "TOKEN %s:%s" % (ACCESS, hmac.new(SECRET.encode(), message, hashlib.sha1).hexdigest())


def test_form_body_sent_is_the_body_signed():
    client, transport, _clock = _client([_ok({"id": 1001})])
    cert_pem = "-----BEGIN CERTIFICATE-----\nAAAA+/==\n-----END CERTIFICATE-----\n"
    assert client.upload_certificate("certops-a b", cert_pem, "KEY") == 1001
    sent = transport.sent[0]
    assert sent["method"] == "POST" and sent["url"] == "https://api.dogecloud.test/cdn/cert/upload.json"
    assert sent["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent["headers"]["Authorization"] == _expected_header(sent)
    fields = {name: values[0] for name, values in parse_qs(sent["body"].decode("ascii")).items()}
    assert fields == {"note": "certops-a b", "cert": cert_pem, "private": "KEY"}


def test_json_body_and_query_string_sent_are_signed():
    client, transport, _clock = _client([_ok()])
    client.call("POST", "/cdn/domain/config.json", query={"domain": "cdn.example.test"}, json_body={"cert_id": 7})
    sent = transport.sent[0]
    assert sent["url"].endswith("/cdn/domain/config.json?domain=cdn.example.test")
    assert sent["headers"]["Content-Type"] == "application/json"
    assert json.loads(sent["body"]) == {"cert_id": 7}
    assert sent["headers"]["Authorization"] == _expected_header(sent)


def test_get_without_body_signs_an_empty_body():
    client, transport, _clock = _client([_ok({"certs": []})])
    client.list_certificates()
    sent = transport.sent[0]
    assert sent["body"] is None
    assert sent["headers"]["Authorization"] == _expected_header(sent)
    assert "Content-Type" not in sent["headers"]


def test_base_path_of_api_url_is_part_of_the_signed_uri():
    client, transport, _clock = _client([_ok({"domains": []})], base_url="https://gw.test/dogecloud/")
    client.list_domains()
    sent = transport.sent[0]
    assert sent["url"] == "https://gw.test/dogecloud/cdn/domain/list.json"
    assert sent["headers"]["Authorization"] == _expected_header(sent)


def test_lists_are_parsed_with_integer_ids():
    client, _transport, _clock = _client([
        _ok({"certs": [CERT_ITEM, dict(CERT_ITEM, id="1002", note="other", name="ignored")]}),
        _ok({"domains": [{"id": 3001, "name": "CDN.example.test", "status": "online", "cert_id": 1001},
                         {"id": 3002, "name": "static.example.test", "status": "offline", "cert_id": 0}]}),
    ])
    certs = client.list_certificates()
    assert certs[0] == RemoteCertificate(id=1001, note=CERT_ITEM["note"], sans=("*.example.test", "example.test"),
                                         expire=1780000000, domain_count=2, key_type="ECC")
    assert certs[1].id == 1002 and certs[1].note == "other"
    domains = client.list_domains()
    assert [(d.id, d.name, d.status, d.cert_id) for d in domains] == [
        (3001, "cdn.example.test", "online", 1001), (3002, "static.example.test", "offline", 0)]


def test_non_integer_id_is_refused():
    client, _transport, _clock = _client([_ok({"id": "abc"})])
    with pytest.raises(DogeCloudApiError, match="non-integer certificate id"):
        client.upload_certificate("n", "c", "k")


def test_envelope_error_is_raised_with_code_and_message():
    client, _transport, _clock = _client([json_response(200, {"code": 404, "msg": "域名不存在"})])
    with pytest.raises(DogeCloudApiError) as raised:
        client.bind(1001, "nope.example.test")
    assert raised.value.details["code"] == 404
    assert "code 404" in raised.value.message and "/cdn/cert/bind.json" in raised.value.message


def test_http_error_status_is_checked_even_with_code_200():
    client, _transport, _clock = _client([json_response(404, {"code": 200, "msg": "OK", "data": {}})])
    with pytest.raises(DogeCloudApiError, match=r"code 200, OK \(HTTP 404\)"):
        client.list_domains()


def test_body_without_envelope_is_an_error():
    client, _transport, _clock = _client([Response(200, {}, b"<html>gateway</html>")])
    with pytest.raises(DogeCloudApiError, match="no API envelope"):
        client.list_domains()


def test_certificate_parse_refusal_explains_itself():
    refusal = json_response(200, {"code": 400, "msg": "解析失败，请检查证书是否符合标准，请留意是否有多余的空格"})
    client, _transport, _clock = _client([refusal])
    with pytest.raises(DogeCloudApiError, match="could not parse the certificate"):
        client.upload_certificate("n", "c", "k")


def test_access_token_error_explains_without_the_secret():
    client, _transport, _clock = _client([json_response(200, {"code": 403, "msg": "AccessToken Error"})])
    with pytest.raises(AccessTokenError) as raised:
        client.upload_certificate("n", "c", "k")
    message = raised.value.message
    assert "signature did not match" in message
    assert "POST /cdn/cert/upload.json" in message
    assert "'AKID...'" in message
    assert "clock" in message and "region" in message and "key pair" in message
    assert SECRET not in message and SECRET not in repr(raised.value.details)
    assert ACCESS not in message


def test_envelope_500_is_retried_for_reads():
    client, transport, clock = _client([json_response(200, {"code": 500, "msg": "busy"}), _ok({"certs": []})])
    assert client.list_certificates() == []
    assert len(transport.sent) == 2 and len(clock.sleeps) == 1


def test_http_502_and_429_are_retried_for_bind():
    client, transport, clock = _client([
        Response(502, {}, b"bad gateway"),
        Response(429, {"Retry-After": "3"}, b""),
        _ok(),
    ])
    client.bind(1001, "cdn.example.test")
    assert len(transport.sent) == 3
    assert clock.sleeps[1] >= 3
    assert all(sent["headers"]["Authorization"] == _expected_header(sent) for sent in transport.sent)


def test_upload_is_not_repeated_by_the_http_layer_on_5xx():
    client, transport, _clock = _client([json_response(200, {"code": 500, "msg": "busy"})])
    with pytest.raises(TransientFaultError):
        client.upload_certificate("n", "c", "k")
    assert len(transport.sent) == 1


def test_upload_is_retried_on_429():
    client, transport, _clock = _client([Response(429, {}, b""), _ok({"id": 5})])
    assert client.upload_certificate("n", "c", "k") == 5
    assert len(transport.sent) == 2


def test_delete_of_a_missing_certificate_counts_as_done():
    client, _transport, _clock = _client([json_response(200, {"code": 404, "msg": "证书不存在"})])
    client.delete_certificate(1001)


def test_delete_of_a_bound_certificate_fails():
    client, _transport, _clock = _client([json_response(200, {"code": 400, "msg": "证书正在使用中"})])
    with pytest.raises(DogeCloudApiError, match="code 400"):
        client.delete_certificate(1001)


def test_backoff_of_a_caller_retried_call_respects_the_deadline():
    from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DogeCloudClient
    from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, RetryPolicy
    from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock, FakeTransport

    clock = FakeClock()
    http = HttpClient("https://api.example.invalid", transport=FakeTransport(), clock=clock,
                      retry=RetryPolicy(base_delay=4.0, max_delay=8.0, deadline=5.0))
    client = DogeCloudClient(http, "AK", "SK")
    retry = client.new_retry()
    assert retry.again()          # 2 to 4 s: fits in 5 s
    assert not retry.again()      # 4 to 8 s more would pass the deadline
    assert len(clock.sleeps) == 1


def test_an_error_page_echoing_the_upload_form_does_not_show_the_key():
    from urllib.parse import urlencode

    from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DogeCloudClient
    from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError
    from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, Response, RetryPolicy
    from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeTransport

    key_pem = "-----BEGIN PRIVATE KEY-----\nMIIBsecret+/=\n-----END PRIVATE KEY-----\n"

    def echo(method, url, headers, body):
        return Response(200, {"Content-Type": "text/html"}, b"<pre>" + body + b"</pre>")

    http = HttpClient("https://api.example.invalid", transport=FakeTransport([echo]), retry=RetryPolicy(max_attempts=1))
    client = DogeCloudClient(http, "AK", "SK")
    with pytest.raises(CertopsError) as info:
        client.upload_certificate("certops-x", "CERT", key_pem)
    text = str(info.value) + repr(info.value.details)
    assert urlencode({"private": key_pem})[len("private="):] not in text
    assert "MIIBsecret" not in text
