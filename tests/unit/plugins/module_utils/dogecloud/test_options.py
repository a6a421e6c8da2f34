# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared DogeCloud options and the client they open."""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback

from ansible_collections.certops.acme.plugins.module_utils.argspec import CONNECTION
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import options
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DEFAULT_API_URL
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeTransport, json_response

PARAMS = dict(access_key="AKIDoptions", secret_key="secret-of-the-options-test", api_url="https://api.dogecloud.test",
              validate_certs=True, ca_path=None, timeout=12.5)


def test_the_keys_are_secret_required_and_read_from_the_environment():
    spec = options.DOGECLOUD.options
    assert set(spec) == {"access_key", "secret_key", "api_url"} | set(CONNECTION.options)
    for name, variable in (("access_key", "DOGECLOUD_ACCESS_KEY"), ("secret_key", "DOGECLOUD_SECRET_KEY")):
        assert spec[name]["no_log"] is True and spec[name]["required"] is True and spec[name]["env"] == [variable]
    assert spec["api_url"]["default"] == DEFAULT_API_URL


def test_the_client_signs_with_the_keys_and_the_connection_options():
    transport = FakeTransport([json_response(200, {"code": 200, "msg": "OK", "data": {"domains": []}})])
    client = options.open_client(PARAMS, transport=transport)
    assert client.list_domains() == []
    sent = transport.sent[0]
    assert sent["url"] == "https://api.dogecloud.test/cdn/domain/list.json" and sent["timeout"] == 12.5
    assert sent["headers"]["Authorization"].startswith("TOKEN AKIDoptions:") and sent["verify"] is True


def test_the_secret_key_and_the_given_secrets_are_redacted():
    client = options.open_client(PARAMS, secrets=["-----BEGIN PRIVATE KEY-----abc"], transport=FakeTransport())
    text = client.http.redact("secret-of-the-options-test and -----BEGIN PRIVATE KEY-----abc")
    assert "secret-of-the-options-test" not in text and "BEGIN PRIVATE KEY" not in text


def test_the_older_spec_is_the_same_options_with_an_env_fallback():
    older = options.credential_argument_spec(env_fallback)
    assert older["access_key"]["fallback"] == (env_fallback, ["DOGECLOUD_ACCESS_KEY"]) and "env" not in older["access_key"]
    assert older["api_url"] == options.DOGECLOUD.options["api_url"]
