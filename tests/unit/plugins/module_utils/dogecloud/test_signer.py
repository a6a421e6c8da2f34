# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import signer


def test_documented_vector():
    assert signer.sign("MY_SECRET_KEY", "/auth/upload.json?filename=a.mp4", b"") == \
        "bf5ec167c882d6ffa8afa4a1d2c2ed8d622beadf"


def test_documented_header():
    assert signer.authorization("MY_ACCESS_KEY", "MY_SECRET_KEY", "/auth/upload.json?filename=a.mp4") == \
        "TOKEN MY_ACCESS_KEY:bf5ec167c882d6ffa8afa4a1d2c2ed8d622beadf"


def test_body_is_part_of_the_signature():
    empty = signer.sign("k", "/cdn/cert/bind.json", b"")
    with_body = signer.sign("k", "/cdn/cert/bind.json", b"id=1&domain=a.test")
    assert empty != with_body
    assert signer.sign("k", "/cdn/cert/bind.json", "id=1&domain=a.test") == with_body


def test_path_without_leading_slash_is_refused():
    # Signing "cdn/cert/upload.json" is the classic cause of "AccessToken Error".
    with pytest.raises(ValueError, match="start with '/'"):
        signer.sign("k", "cdn/cert/upload.json", b"")
