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


def test_value_of_neither_shape_fails_describing_both_without_echoing_it():
    secret = "s3cr3t-VALUE-that-is-30-chars"
    with pytest.raises(InvalidInputError) as caught:
        detect_credential(personal_access_token=secret)
    message = str(caught.value)
    assert message.startswith("personal_access_token:")
    assert "%d characters" % len(secret) in message
    assert "40 hexadecimal" in message and "24 characters [a-z0-9]" in message
    for start in range(len(secret) - 4):
        assert secret[start:start + 5] not in message
    assert secret not in repr(caught.value.details)


def test_both_credentials_fail():
    with pytest.raises(InvalidInputError, match="only one of personal_access_token and api_key"):
        detect_credential(personal_access_token=PAT_VALUE, api_key=API_KEY_VALUE)


@pytest.mark.parametrize("empty", [None, ""])
def test_no_credential_fails_naming_options_and_environment(empty):
    with pytest.raises(InvalidInputError) as caught:
        detect_credential(personal_access_token=empty, api_key=None)
    assert "GANDI_PERSONAL_ACCESS_TOKEN" in str(caught.value) and "GANDI_API_KEY" in str(caught.value)


def test_repr_and_description_hide_the_secret():
    credential, _warnings = detect_credential(personal_access_token=PAT_VALUE)
    assert PAT_VALUE not in repr(credential)
    assert PAT_VALUE not in credential.describe()
    assert "Bearer" in credential.describe() and "40 characters" in credential.describe()
