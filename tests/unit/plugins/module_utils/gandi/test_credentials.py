# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.gandi.credentials import (
    API_KEY,
    PAT,
    detect_credential,
    kind_of,
)

PAT_VALUE = "0123456789abcdef0123456789abcdef01234567"
API_KEY_VALUE = "abcdefghij0123456789klmn"


@pytest.mark.parametrize("value, kind", [
    (PAT_VALUE, PAT),
    (PAT_VALUE.upper(), PAT),
    (API_KEY_VALUE, API_KEY),
    ("0" * 24, API_KEY),
    ("a" * 30, None),
    (PAT_VALUE[:-1], None),
    (API_KEY_VALUE.upper(), None),
    ("abcdefghij0123456789klm-", None),
])
def test_kind_is_decided_by_shape(value, kind):
    assert kind_of(value) == kind


def test_pat_is_sent_as_bearer_without_warning():
    credential, warnings = detect_credential(personal_access_token=PAT_VALUE)
    assert credential.kind == PAT
    assert credential.headers() == {"Authorization": "Bearer " + PAT_VALUE}
    assert warnings == []


def test_api_key_is_sent_as_apikey_without_warning():
    credential, warnings = detect_credential(api_key=API_KEY_VALUE)
    assert credential.headers() == {"Authorization": "Apikey " + API_KEY_VALUE}
    assert warnings == []


def test_pat_given_as_api_key_is_sent_as_bearer_with_a_warning():
    credential, warnings = detect_credential(api_key=PAT_VALUE)
    assert credential.scheme == "Bearer"
    assert credential.option == "api_key"
    assert len(warnings) == 1
    assert "personal_access_token" in warnings[0] and "Bearer" in warnings[0]
    assert PAT_VALUE not in warnings[0]


def test_api_key_given_as_pat_is_sent_as_apikey_with_a_warning():
    credential, warnings = detect_credential(personal_access_token=API_KEY_VALUE)
    assert credential.scheme == "Apikey"
    assert "api_key" in warnings[0] and "Apikey" in warnings[0]
    assert API_KEY_VALUE not in warnings[0]


def test_surrounding_whitespace_is_ignored():
    credential, _warnings = detect_credential(personal_access_token=PAT_VALUE + "\n")
    assert credential.secret == PAT_VALUE


@pytest.mark.parametrize("option, value, scheme", [
    ("personal_access_token", "pat_abc-123", "Bearer"),
    ("personal_access_token", "s3cr3t-VALUE-that-is-30-chars", "Bearer"),
    ("api_key", "AbCdEfGhIj0123456789KlMn", "Apikey"),
    ("api_key", "a" * 30, "Apikey"),
])
def test_value_of_unknown_shape_is_sent_as_the_kind_its_option_names(option, value, scheme):
    credential, warnings = detect_credential(**{option: value})
    assert credential.scheme == scheme
    assert credential.shape_known is False
    assert credential.headers() == {"Authorization": "%s %s" % (scheme, value)}
    assert warnings == []
    described = credential.describe() + repr(credential)
    assert "neither known shape" in credential.describe() and option in described
    assert value not in described


@pytest.mark.parametrize("value, secret", [
    ("Bearer " + PAT_VALUE, PAT_VALUE),
    (PAT_VALUE[:20] + "\n" + PAT_VALUE[20:], PAT_VALUE),
    ("abc1\t2def", "abc1\t2def"),
    ("t\u00f6ken-value", "t\u00f6ken-value"),
])
def test_value_that_cannot_be_sent_in_a_header_fails_before_any_call_without_echoing_it(value, secret):
    with pytest.raises(InvalidInputError) as caught:
        detect_credential(personal_access_token=value)
    message = str(caught.value)
    assert message.startswith("personal_access_token:")
    assert "GANDI_PERSONAL_ACCESS_TOKEN" in message
    assert "40 hexadecimal" in message and "24 characters [a-z0-9]" in message
    for start in range(len(secret) - 5):
        assert secret[start:start + 6] not in message
