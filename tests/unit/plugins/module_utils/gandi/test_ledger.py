# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import hashlib

from ansible_collections.certops.acme.plugins.module_utils.gandi.ledger import (
    Ledger,
    is_marker,
    marker,
    parse_marker,
    value_hash,
)


def test_marker_names_the_value_by_hash_and_time():
    text = marker('"token"', 1700000000)
    assert text == "certops-acme-ledger;v1;t=1700000000;h=" + hashlib.sha256(b"token").hexdigest()[:32]
    assert "token" not in text.split(" h=")[0]
    assert parse_marker(text) == (1700000000, value_hash("token"))
    assert parse_marker('"%s"' % text) == (1700000000, value_hash("token"))


def test_quoted_and_unquoted_values_have_one_hash():
    assert value_hash('"abc"') == value_hash("abc")


def test_other_values_are_not_markers():
    for value in ('"v=spf1 -all"', "certops-acme-ledger;v1;t=1;h=xyz", "certops-acme-ledger;v2;t=1;h=" + "0" * 32,
                  "certops-acme-ledger v1 t=1 h=" + "0" * 32,
                  "prefix certops-acme-ledger;v1;t=1;h=" + "0" * 32):
        assert not is_marker(value)


def test_staleness_uses_the_newest_marker_of_a_value():
    ledger = Ledger(now=10000, stale_after=3600)
    values = [marker("a", 1000), marker("a", 9000), marker("b", 1000), '"b"', '"c"']
    assert ledger.newest(values) == {value_hash("a"): 9000, value_hash("b"): 1000}
    assert ledger.stale_hashes(values) == {value_hash("b")}


def test_zero_grace_makes_every_earlier_marker_stale_but_not_this_calls():
    ledger = Ledger(now=10000, stale_after=0)
    assert ledger.is_stale(9999)
    assert not ledger.is_stale(10000)
