# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module option that takes DNS names refuses a bad one, naming the option, before any call."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module
from ansible_collections.certops.acme.plugins.module_utils.gandi import options as gandi_options
from ansible_collections.certops.acme.plugins.modules import (
    acme_order, dogecloud_certificate, dogecloud_certificate_info, dogecloud_domain_info, gandi_dns_challenge,
)

PAT_VALUE = "0123456789abcdef0123456789abcdef01234567"
LONG = ".".join(["a" * 58] * 4) + ".test"  # 240 characters: its _acme-challenge record would have 256
DOGECLOUD = dict(access_key="AK", secret_key="SK", api_url="https://dogecloud.example.test")


@pytest.fixture(autouse=True)
def no_calls(monkeypatch):
    """Any HTTP request, client or ACME connection fails the test."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("a call was made before the names were checked")

    monkeypatch.setattr(requests.Session, "request", refuse)
    monkeypatch.setattr(gandi_options, "HttpClient", refuse)
    monkeypatch.setattr(acme_order.common, "open_client", refuse)
    for module in (dogecloud_certificate, dogecloud_certificate_info):
        monkeypatch.setattr(module, "open_client", refuse)
    monkeypatch.setattr(dogecloud_domain_info, "build_client", refuse)
    for variable in ("GANDI_PERSONAL_ACCESS_TOKEN", "GANDI_API_KEY", "DOGECLOUD_ACCESS_KEY", "DOGECLOUD_SECRET_KEY"):
        monkeypatch.delenv(variable, raising=False)


def acme_order_args(tmp_path, names):
    return dict(directory="https://acme.example.test/dir", account_key_content="unused", names=names,
                private_key_path=str(tmp_path / "key.pem"))


def gandi_args(_tmp_path, fqdn, zone=None):
    return dict(personal_access_token=PAT_VALUE, zone=zone, challenges=[{"fqdn": fqdn, "value": "token"}])


CASES = [
    # module, arguments, start of the message
    (acme_order, lambda tmp: acme_order_args(tmp, ["ok.example.test", LONG]), "names: '%s' is 240 characters" % LONG),
    (acme_order, lambda tmp: acme_order_args(tmp, ["@.example.test"]), "names: '@.example.test' contains '@'"),
    (acme_order, lambda tmp: acme_order_args(tmp, ["_x.example.test"]), "names: '_x.example.test': label '_x'"),
    (gandi_dns_challenge, lambda tmp: gandi_args(tmp, "@.example.test"), "challenges[0]: '@.example.test' contains '@'"),
    (gandi_dns_challenge, lambda tmp: gandi_args(tmp, "_acme-challenge.a b.test"), "challenges[0]: "),
    (gandi_dns_challenge, lambda tmp: gandi_args(tmp, "_acme-challenge." + "a" * 64 + ".test"), "challenges[0]: "),
    (gandi_dns_challenge, lambda tmp: gandi_args(tmp, "_acme-challenge.x.test", zone="@"), "zone: '@' contains '@'"),
    (gandi_dns_challenge, lambda tmp: gandi_args(tmp, "_acme-challenge.x.test", zone="*.test"), "zone: '*.test': a wildcard"),
    (dogecloud_certificate, lambda tmp: dict(DOGECLOUD, certificate="c", private_key="k", domains=["cdn..test"]),
     "domains: 'cdn..test' has an empty label"),
    (dogecloud_domain_info, lambda tmp: dict(DOGECLOUD, domains=["cdn_1.example.test"]), "domains: 'cdn_1.example.test'"),
    (dogecloud_domain_info, lambda tmp: dict(DOGECLOUD, covered_by=[LONG]), "covered_by: '%s' is 240" % LONG),
    (dogecloud_domain_info, lambda tmp: dict(DOGECLOUD, covered_by=["@"]), "covered_by: '@' contains '@'"),
    (dogecloud_certificate_info, lambda tmp: dict(DOGECLOUD, domains=["192.0.2.1"]), "domains: '192.0.2.1' is an IP"),
]


@pytest.mark.parametrize("module, make_args, start", CASES)
def test_a_bad_name_fails_naming_the_option_before_any_call(monkeypatch, tmp_path, module, make_args, start):
    result = run_module(monkeypatch, module, make_args(tmp_path))
    assert result.get("failed") is not False
    assert result["msg"].startswith(start), result["msg"]


def test_unicode_names_reach_the_clients_as_a_labels(monkeypatch):
    seen = {}

    def record(_client, request, **_kwargs):
        seen.update(domains=list(request.bind.domains))
        raise AssertionError("stop here")

    monkeypatch.setattr(dogecloud_certificate, "open_client", lambda *_args, **_kwargs: None)
    monkeypatch.setattr(dogecloud_certificate, "local_certificate_from_options", lambda params, now: None)
    monkeypatch.setattr(dogecloud_certificate.deploy, "deploy", record)
    with pytest.raises(AssertionError, match="stop here"):
        run_module(monkeypatch, dogecloud_certificate,
                   dict(DOGECLOUD, certificate="c", private_key="k", domains=["CDN.Bücher.test"]))
    assert seen["domains"] == ["cdn.xn--bcher-kva.test"]
