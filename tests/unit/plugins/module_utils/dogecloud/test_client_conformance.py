# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DogeCloud client fed with the real service's answer shapes (see fixtures/*.yml for their sources)."""

from __future__ import annotations

import os
import random

import pytest
import yaml

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import deploy, facts, note
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import (
    AccessTokenError, DogeCloudApiError, DogeCloudClient)
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, TransientFaultError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import NOW
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock, FakeTransport, json_response

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
ARI = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"


def _fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _answer(recorded):
    return json_response(recorded["http_status"], recorded["body"])


ERRORS = _fixture("error_envelopes.yml")


def _client(*answers):
    http = HttpClient("https://api.dogecloud.test", transport=FakeTransport(list(answers)), clock=FakeClock(),
                      rng=random.Random(1), secrets=["secret"])
    return DogeCloudClient(http, "AKID", "secret")


@pytest.fixture(scope="module")
def listed():
    certs = _client(_answer(_fixture("cert_list.yml"))).list_certificates()
    return {cert.id: cert for cert in certs}


def test_list_items_with_extra_fields_and_digit_string_ids_are_read(listed):
    assert sorted(listed) == [20411, 20412, 20413, 20414, 20415, 20416, 20417]
    assert listed[20413].expire == 1772406000 and listed[20413].sans == ("shop.example.com",)
    assert listed[20411].sans == ("example.com", "*.example.com") and listed[20411].domain_count == 2


def test_the_note_is_read_from_note_only_never_from_name(listed):
    assert listed[20411].note.startswith("certops-example.com;t=")
    assert listed[20412].note == "uploaded in the console"  # its name looks like one of ours: ignored
    assert listed[20413].note == ""  # no note field: no note, not the common name
    assert note.parse(listed[20412].note, "certops-") is None and note.parse(listed[20413].note, "certops-") is None
    assert note.parse(listed[20414].note, "certops-") == note.UploadNote("a.example.com", 1764630000, None)


def test_every_info_type_spelling_gives_a_family_or_one_warning(listed):
    infos = {info["id"]: info for info in facts.certificate_infos(list(listed.values()), [], NOW)}
    assert {cert_id: (info["key_type"], info["key_family"]) for cert_id, info in infos.items()} == {
        20411: ("ECC", "ec"), 20412: ("RSA-2048", "rsa"), 20413: ("ecc", "ec"), 20414: ("ECC-secp256r1", "ec"),
        20415: ("", None), 20416: (None, None), 20417: ("ecdsa_p256", "ec")}
    warning = facts.unknown_key_type_warning(list(infos.values()))
    assert "20415 ('')" in warning and "20416 (None)" in warning and "20411" not in warning


def test_ari_cert_id_comes_from_the_note(listed):
    infos = {info["id"]: info for info in facts.certificate_infos(list(listed.values()), [], NOW)}
    assert infos[20411]["ari_cert_id"] == ARI
    assert [cert_id for cert_id, info in infos.items() if info["ari_cert_id"]] == [20411]


def test_domain_list_with_extra_fields():
    domains = _client(_answer(_fixture("domain_list.yml"))).list_domains()
    assert [(d.id, d.name, d.status, d.cert_id) for d in domains] == [
        (3001, "cdn.example.com", "online", 20411), (3002, "static.example.com", "offline", 0)]


@pytest.mark.parametrize("name, code", [
    ("unauthorized", 401), ("cert_parse_failed", 400), ("cert_not_found", 404), ("bind_failed", 400)])
def test_error_envelopes_in_http_200_are_errors_with_their_code(name, code):
    with pytest.raises(DogeCloudApiError) as raised:
        _client(_answer(ERRORS[name])).bind(1, "cdn.example.com")
    assert raised.value.details["code"] == code and raised.value.details["status"] == 200
    assert ERRORS[name]["body"]["msg"] in raised.value.message


def test_access_token_error_in_http_200():
    with pytest.raises(AccessTokenError, match="not a matching pair"):
        _client(_answer(ERRORS["access_token"])).list_domains()


def test_server_error_envelope_is_transient_for_reads():
    assert _client(_answer(ERRORS["server_error"]), _answer(_fixture("domain_list.yml"))).list_domains()
    with pytest.raises(TransientFaultError):
        _client(*[_answer(ERRORS["server_error"])] * 10).list_domains()


def test_bind_answers_are_told_apart_for_the_deployment():
    """"Certificate not found" re-uploads a fresh upload once; any other bind error is checked against the list."""
    def bind_error(name):
        with pytest.raises(DogeCloudApiError) as raised:
            _client(_answer(ERRORS[name])).bind(1, "cdn.example.com")
        return raised.value

    assert deploy._certificate_not_found(bind_error("cert_not_found"))
    assert not deploy._certificate_not_found(bind_error("bind_failed"))


def test_delete_answered_not_found_counts_as_done():
    _client(_answer(ERRORS["cert_not_found"])).delete_certificate(20412)
