# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import contextlib

import pytest

from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.gandi import propagation
from ansible_collections.certops.acme.plugins.module_utils.gandi.challenge import (
    ChallengeRecords,
    given_zones,
    outcomes_diff,
    wait_verifying,
    zone_servers,
)
from ansible_collections.certops.acme.plugins.module_utils.gandi.client import GandiApiError, RRset, RRsetConflict
from ansible_collections.certops.acme.plugins.module_utils.gandi.ledger import Ledger, is_marker
from ansible_collections.certops.acme.plugins.module_utils.gandi.propagation import Server
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


# --- recovery of values left behind (ledger) ---------------------------------------

T0 = 1_800_000_000


def ours_left(values):
    return [value for value in values if is_marker(value) or value.strip('"').startswith("run")]


def test_a_killed_run_leaves_values_that_the_next_run_withdraws_with_no_extra_call():
    gandi = FakeGandi([SPF, '"foreign"'])
    # Run 1 publishes, then is killed: it never withdraws.
    ChallengeRecords(gandi, "present", 300, ledger=Ledger(T0)).apply(KEY, ["run1"])
    assert len(ours_left(gandi.rrset.values)) == 2
    # Run 2, two hours later, with no local state: publish, then withdraw.
    later = Ledger(T0 + 7200)
    published = ChallengeRecords(gandi, "present", 300, ledger=later).apply(KEY, ["run2"])
    assert gandi.methods()[-3:] == ["GET", "PUT", "GET"]
    assert '"run1"' not in published.values_after and '"run2"' in published.values_after
    gandi.calls.clear()
    ChallengeRecords(gandi, "absent", 300, ledger=later).apply(KEY, ["run2"])
    assert gandi.methods() == ["GET", "PUT", "GET"]
    assert gandi.rrset.values == (SPF, '"foreign"')


def test_a_withdrawal_that_kept_failing_is_completed_by_the_next_write():
    gandi = FakeGandi()
    ChallengeRecords(gandi, "present", 300, ledger=Ledger(T0)).apply(KEY, ["run1"])
    ChallengeRecords(gandi, "present", 300, ledger=Ledger(T0 + 7200)).apply(KEY, ["run2"])
    ChallengeRecords(gandi, "absent", 300, ledger=Ledger(T0 + 7200)).apply(KEY, ["run2"])
    assert gandi.rrset is None
    assert gandi.methods()[-3:] == ["GET", "DELETE", "GET"]


def test_values_of_a_run_in_progress_elsewhere_are_kept_within_the_grace_period():
    gandi = FakeGandi()
    ChallengeRecords(gandi, "present", 300, ledger=Ledger(T0)).apply(KEY, ["elsewhere"])
    ChallengeRecords(gandi, "present", 300, ledger=Ledger(T0 + 60)).apply(KEY, ["mine"])
    ChallengeRecords(gandi, "absent", 300, ledger=Ledger(T0 + 120)).apply(KEY, ["mine"])
    assert [value for value in gandi.rrset.values if not is_marker(value)] == ['"elsewhere"']


def test_the_no_op_path_stays_one_read_with_the_ledger():
    gandi = FakeGandi()
    ChallengeRecords(gandi, "present", 300, ledger=Ledger(T0)).apply(KEY, ["tok"])
    gandi.calls.clear()
    outcome = ChallengeRecords(gandi, "present", 300, ledger=Ledger(T0 + 10)).apply(KEY, ["tok"])
    assert gandi.methods() == ["GET"] and not outcome.changed


# --- one read and at most one write per rrset, read back later ------------------------------

def test_without_read_back_a_write_is_one_read_and_one_write_and_unverified():
    gandi = FakeGandi([SPF], ttl=3600)
    outcome = ChallengeRecords(gandi, "present", 300, read_back=False).apply(KEY, ["mine"])
    assert gandi.calls == [("GET",), ("PUT", (SPF, '"mine"'), 3600)]
    assert outcome.changed and not outcome.verified and outcome.values_after == (SPF, '"mine"')


def test_without_read_back_a_create_that_meets_another_creator_starts_again_from_its_rrset():
    gandi = FakeGandi()
    original_get = gandi.get_rrset

    def get_then_someone_creates(key):
        rrset = original_get(key)
        if len(gandi.calls) == 1:
            gandi.rrset = RRset(300, ('"theirs"',))
        return rrset

    gandi.get_rrset = get_then_someone_creates
    outcome = ChallengeRecords(gandi, "present", 300, read_back=False).apply(KEY, ["mine"])
    assert gandi.methods() == ["GET", "POST", "GET", "PUT", "GET"]
    assert outcome.verified and outcome.values_after == ('"theirs"', '"mine"')


def test_verify_re_applies_a_change_that_a_writer_elsewhere_replaced():
    records = ChallengeRecords(FakeGandi([SPF]), "present", 300, read_back=False)
    outcome = records.apply(KEY, ["mine"])
    records.client.rrset = RRset(300, ('"theirs"',))
    verified = records.verify(outcome, ["mine"])
    assert records.client.methods() == ["GET", "PUT", "GET", "PUT", "GET"]
    assert verified.verified and verified.values_before == (SPF,) and verified.values_after == ('"theirs"', '"mine"')


def test_verify_of_a_change_that_held_is_one_read():
    records = ChallengeRecords(FakeGandi(), "absent", 300, read_back=False)
    outcome = records.apply(KEY, ["gone"])
    records.client.calls.clear()
    assert records.verify(outcome, ["gone"]).values_after == ()
    assert records.client.methods() == ["GET"]


# --- zones given by gandi_zone_info ------------------------------------------------------------

def test_given_zones_take_names_and_gandi_zone_info_entries():
    zones = given_zones(["Example.test.", {"zone": "sub.example.test", "nameservers": ["ns1.gandi.test."],
                                           "other": 1}])
    assert zones == {"example.test": None, "sub.example.test": ["ns1.gandi.test"]}


@pytest.mark.parametrize("entries, start", [
    ([], "zones: give at least one zone"),
    ([42], "zones[0]: must be a zone name or a dict"),
    ([{"zone": "example.test", "nameservers": [""]}], "zones[0]: nameservers must be a list"),
    (["bad zone"], "zones[0]: "),
])
def test_given_zones_refuse_what_is_not_a_zone(entries, start):
    with pytest.raises(InvalidInputError) as caught:
        given_zones(entries)
    assert caught.value.message.startswith(start)


def test_zone_servers_use_the_host_names_given_without_a_call():
    class NoCalls:
        def nameservers(self, zone):
            raise AssertionError("read the name servers although they were given")

    servers = zone_servers(NoCalls(), "example.test", hosts=["192.0.2.53"])
    assert [server.address for server in servers] == ["192.0.2.53"]


# --- the propagation check stands in for the read-back ----------------------------------------

WWW = RRsetKey("example.test", "_acme-challenge.www")


class TwoRRsets(FakeGandi):
    """Two rrsets: ``_acme-challenge`` (``rrset``) and ``_acme-challenge.www`` (``www``)."""

    def __init__(self):
        super().__init__()
        self.www = None

    def get_rrset(self, key):
        self.calls.append(("GET", key.name))
        return self.www if key == WWW else self.rrset

    def create_rrset(self, key, values, ttl):
        self.replace_rrset(key, values, ttl)

    def replace_rrset(self, key, values, ttl):
        self.calls.append(("PUT", key.name))
        if key == WWW:
            self.www = RRset(ttl, tuple(values))
        else:
            self.rrset = RRset(ttl, tuple(values))


def test_only_an_rrset_the_servers_do_not_show_in_time_is_read_back(monkeypatch):
    gandi = TwoRRsets()
    records = ChallengeRecords(gandi, "present", 300, read_back=False, ledger=Ledger(T0))
    grouped = {KEY: ["apex"], WWW: ["www"]}
    outcomes = [records.apply(key, values) for key, values in grouped.items()]
    # A writer elsewhere replaced the www rrset right after our write: the servers never show it.
    gandi.www = RRset(300, ('"theirs"',))
    clock = FakeClock()

    def served(server, fqdn, timeout):
        rrset = gandi.www if fqdn.startswith("_acme-challenge.www.") else gandi.rrset
        return {value.strip('"') for value in rrset.values}

    monkeypatch.setattr(propagation, "query_txt", served)
    gandi.calls.clear()
    seconds, outcomes = wait_verifying(records, outcomes, grouped, {"example.test": [Server("192.0.2.53")]},
                                       timeout=60, interval=1, read_back_after=5, clock=clock)
    # Not before 5 s, only the www rrset, once: read back, re-applied, read back.
    assert gandi.calls == [("GET", "_acme-challenge.www"), ("PUT", "_acme-challenge.www"),
                           ("GET", "_acme-challenge.www")]
    assert 5 <= seconds < 7
    assert outcomes[0].verified is False and outcomes[1].verified is True
    assert [value for value in outcomes[1].values_after if not is_marker(value)] == ['"theirs"', '"www"']
