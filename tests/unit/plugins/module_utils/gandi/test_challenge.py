# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import contextlib

import pytest

from ansible_collections.certops.acme.plugins.module_utils.gandi.challenge import ChallengeRecords, outcomes_diff
from ansible_collections.certops.acme.plugins.module_utils.gandi.client import GandiApiError, RRset, RRsetConflict
from ansible_collections.certops.acme.plugins.module_utils.gandi.txt_plan import RRsetKey

KEY = RRsetKey("example.test", "_acme-challenge")
SPF = '"v=spf1 -all"'


class FakeGandi:
    """An in-memory rrset store with hooks that play a writer elsewhere."""

    def __init__(self, values=None, ttl=300, after_write=None):
        self.rrset = RRset(ttl, tuple(values)) if values is not None else None
        self.calls = []
        self.after_write = after_write or (lambda fake: None)

    def get_rrset(self, key):
        self.calls.append(("GET",))
        return self.rrset

    def create_rrset(self, key, values, ttl):
        self.calls.append(("POST", tuple(values), ttl))
        if self.rrset is not None:
            raise RRsetConflict("exists")
        self.rrset = RRset(ttl, tuple(values))
        self.after_write(self)

    def replace_rrset(self, key, values, ttl):
        self.calls.append(("PUT", tuple(values), ttl))
        self.rrset = RRset(ttl, tuple(values))
        self.after_write(self)

    def delete_rrset(self, key):
        self.calls.append(("DELETE",))
        self.rrset = None
        self.after_write(self)

    def methods(self):
        return [call[0] for call in self.calls]


def test_present_creates_with_the_given_ttl_and_verifies():
    gandi = FakeGandi()
    outcome = ChallengeRecords(gandi, "present", 600).apply(KEY, ["a", "b"])
    assert gandi.calls == [("GET",), ("POST", ('"a"', '"b"'), 600), ("GET",)]
    assert outcome.changed
    assert outcome.values_before == ()
    assert outcome.values_after == ('"a"', '"b"')


def test_present_merges_and_keeps_the_existing_ttl():
    gandi = FakeGandi([SPF, '"theirs"'], ttl=3600)
    outcome = ChallengeRecords(gandi, "present", 300).apply(KEY, ["mine"])
    assert gandi.calls[1] == ("PUT", (SPF, '"theirs"', '"mine"'), 3600)
    assert outcome.as_dict() == dict(zone="example.test", name="_acme-challenge", fqdn="_acme-challenge.example.test",
                                     type="TXT", values_before=[SPF, '"theirs"'],
                                     values_after=[SPF, '"theirs"', '"mine"'], changed=True)


def test_present_with_everything_there_is_one_read_and_no_write():
    gandi = FakeGandi(['"a"', SPF])
    outcome = ChallengeRecords(gandi, "present", 300).apply(KEY, ["a"])
    assert gandi.methods() == ["GET"]
    assert not outcome.changed


def test_absent_keeps_other_values():
    gandi = FakeGandi([SPF, '"mine"', '"theirs"'])
    outcome = ChallengeRecords(gandi, "absent", 300).apply(KEY, ["mine"])
    assert gandi.calls[1] == ("PUT", (SPF, '"theirs"'), 300)
    assert outcome.values_after == (SPF, '"theirs"')


def test_absent_deletes_an_rrset_left_empty():
    gandi = FakeGandi(['"mine"'])
    outcome = ChallengeRecords(gandi, "absent", 300).apply(KEY, ["mine"])
    assert gandi.methods() == ["GET", "DELETE", "GET"]
    assert outcome.values_after == ()
    assert outcome.changed


def test_create_conflict_replans_from_what_the_other_writer_created():
    gandi = FakeGandi()
    original_get = gandi.get_rrset
    reads = []

    def get_then_someone_creates(key):
        rrset = original_get(key)
        reads.append(rrset)
        if len(reads) == 1:
            gandi.rrset = RRset(300, ('"theirs"',))
        return rrset

    gandi.get_rrset = get_then_someone_creates
    outcome = ChallengeRecords(gandi, "present", 300).apply(KEY, ["mine"])
    assert gandi.methods() == ["GET", "POST", "GET", "PUT", "GET"]
    assert outcome.values_after == ('"theirs"', '"mine"')


def test_a_writer_elsewhere_that_drops_our_value_is_repaired():
    def replaced_once(fake):
        if fake.methods().count("PUT") == 1:
            fake.rrset = RRset(300, ('"theirs"',))

    gandi = FakeGandi([SPF], after_write=replaced_once)
    outcome = ChallengeRecords(gandi, "present", 300).apply(KEY, ["mine"])
    assert gandi.methods() == ["GET", "PUT", "GET", "PUT", "GET"]
    assert gandi.calls[3] == ("PUT", ('"theirs"', '"mine"'), 300)
    assert outcome.values_before == (SPF,)
    assert outcome.values_after == ('"theirs"', '"mine"')


def test_attempts_are_bounded():
    def always_replaced(fake):
        fake.rrset = RRset(300, ('"theirs"',))

    gandi = FakeGandi([SPF], after_write=always_replaced)
    with pytest.raises(GandiApiError, match="after 3 writes, some of this run's values are still missing"):
        ChallengeRecords(gandi, "present", 300, max_attempts=3).apply(KEY, ["mine"])
    assert gandi.methods().count("PUT") == 3


def test_the_lock_is_held_around_read_and_write():
    events = []

    @contextlib.contextmanager
    def lock(key):
        events.append(("lock", key))
        yield
        events.append(("unlock", key))

    gandi = FakeGandi()
    gandi.after_write = lambda fake: events.append("write")
    ChallengeRecords(gandi, "present", 300, lock=lock).apply(KEY, ["a"])
    assert events == [("lock", KEY), "write", ("unlock", KEY)]


def test_preview_reads_only_and_reports_the_plan():
    gandi = FakeGandi([SPF])
    outcome = ChallengeRecords(gandi, "present", 300).preview(KEY, ["a"])
    assert gandi.methods() == ["GET"]
    assert outcome.changed
    assert outcome.values_after == (SPF, '"a"')
    assert outcomes_diff([outcome]) == {"before": {"_acme-challenge.example.test TXT": [SPF]},
                                        "after": {"_acme-challenge.example.test TXT": [SPF, '"a"']}}
