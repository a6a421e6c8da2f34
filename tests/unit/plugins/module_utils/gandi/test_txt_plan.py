# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.gandi import ledger as ledger_
from ansible_collections.certops.acme.plugins.module_utils.gandi import txt_plan
from ansible_collections.certops.acme.plugins.module_utils.gandi.txt_plan import RRsetKey

KEY = RRsetKey("example.com", "_acme-challenge")
SPF = '"v=spf1 -all"'


@pytest.mark.parametrize("raw, unquoted", [
    ('"abc"', "abc"),
    ("abc", "abc"),
    ('""abc""', '"abc"'),
    ('"', '"'),
    ('""', ""),
])
def test_unquote_strips_one_pair(raw, unquoted):
    assert txt_plan.unquote(raw) == unquoted


def test_quote_is_idempotent():
    assert txt_plan.quote("abc") == '"abc"'
    assert txt_plan.quote('"abc"') == '"abc"'


@pytest.mark.parametrize("raw, name", [
    ("_acme-challenge.WWW.Example.com.", "_acme-challenge.www.example.com"),
    ("_acme-challenge.*.example.com", "_acme-challenge.example.com"),
    (" _acme-challenge.example.com ", "_acme-challenge.example.com"),
])
def test_normalize_fqdn(raw, name):
    assert txt_plan.normalize_fqdn(raw) == name


def test_parse_challenges_merges_names_and_ignores_extra_keys():
    wanted = txt_plan.parse_challenges([
        {"fqdn": "_acme-challenge.example.com", "value": "apex", "identifier": "example.com"},
        {"fqdn": "_acme-challenge.example.com.", "value": '"wild"', "identifier": "*.example.com"},
        {"fqdn": "_acme-challenge.example.com", "value": "apex"},
    ])
    assert wanted == {"_acme-challenge.example.com": ["apex", "wild"]}


@pytest.mark.parametrize("entries, where", [
    ([], "challenges"),
    (["_acme-challenge.example.com"], "challenges[0]"),
    ([{"fqdn": "_acme-challenge.example.com"}], "challenges[0]"),
    ([{"fqdn": "a.example.com", "value": "x"}, {"value": "x"}], "challenges[1]"),
    ([{"fqdn": "", "value": "x"}], "challenges[0]"),
    ([{"fqdn": "a..example.com", "value": "x"}], "challenges[0]"),
    ([{"fqdn": "a.example.com", "value": '""'}], "challenges[0]"),
])
def test_parse_challenges_rejects_bad_entries_naming_them(entries, where):
    with pytest.raises(InvalidInputError) as caught:
        txt_plan.parse_challenges(entries)
    assert caught.value.option == where


def test_a_withdrawal_entry_without_a_value_sweeps_its_record():
    wanted = txt_plan.parse_challenges([
        {"fqdn": "_acme-challenge.example.com", "value": "tok"},
        {"fqdn": "_acme-challenge.www.example.com"},
        {"fqdn": "_acme-challenge.example.com"},
    ], allow_sweep=True)
    assert wanted == {"_acme-challenge.example.com": ["tok"], "_acme-challenge.www.example.com": []}
    with pytest.raises(InvalidInputError) as caught:
        txt_plan.parse_challenges([{"fqdn": "_acme-challenge.www.example.com"}])
    assert caught.value.option == "challenges[0]"


def test_deepest_zone_wins():
    zones = ["example.com", "sub.example.com", "other.com", "ample.com"]
    assert txt_plan.deepest_zone("_acme-challenge.a.sub.example.com", zones) == "sub.example.com"
    assert txt_plan.deepest_zone("_acme-challenge.example.com", zones) == "example.com"
    assert txt_plan.deepest_zone("_acme-challenge.xample.com", zones) is None


def test_group_by_rrset_maps_wildcard_and_apex_to_one_rrset():
    wanted = txt_plan.parse_challenges([
        {"fqdn": "_acme-challenge.example.com", "value": "apex"},
        {"fqdn": "_acme-challenge.*.example.com", "value": "wild"},
        {"fqdn": "_acme-challenge.www.example.com", "value": "www"},
    ])
    grouped = txt_plan.group_by_rrset(wanted, ["example.com", "example.org"])
    assert grouped == {
        KEY: ["apex", "wild"],
        RRsetKey("example.com", "_acme-challenge.www"): ["www"],
    }


def test_group_by_rrset_apex_name():
    grouped = txt_plan.group_by_rrset({"example.com": ["x"]}, ["example.com"])
    assert list(grouped) == [RRsetKey("example.com", "@")]
    assert RRsetKey("example.com", "@").fqdn == "example.com"


def test_group_by_rrset_with_zone_option():
    grouped = txt_plan.group_by_rrset({"_acme-challenge.a.sub.example.com": ["x"]}, [], zone="Example.com.")
    assert list(grouped) == [RRsetKey("example.com", "_acme-challenge.a.sub")]


def test_group_by_rrset_zone_option_must_contain_the_name():
    with pytest.raises(InvalidInputError, match="not inside the zone other.com"):
        txt_plan.group_by_rrset({"_acme-challenge.example.com": ["x"]}, [], zone="other.com")


def test_group_by_rrset_without_matching_zone_lists_the_visible_ones():
    with pytest.raises(InvalidInputError) as caught:
        txt_plan.group_by_rrset({"_acme-challenge.other.test": ["x"]}, ["example.test", "b.test"])
    assert caught.value.option == "zone"
    assert "b.test, example.test" in str(caught.value)


def test_present_creates_a_missing_rrset_quoted():
    plan = txt_plan.plan_rrset(KEY, None, ["a", "b"], "present")
    assert plan.action == txt_plan.CREATE
    assert plan.before == ()
    assert plan.after == ('"a"', '"b"')


def test_present_keeps_existing_values_verbatim_and_appends():
    plan = txt_plan.plan_rrset(KEY, (SPF, "other-client"), ["mine"], "present")
    assert plan.action == txt_plan.REPLACE
    assert plan.after == (SPF, "other-client", '"mine"')


def test_present_with_all_values_there_is_a_noop_whatever_the_quoting():
    plan = txt_plan.plan_rrset(KEY, ('"a"', "b"), ["a", '"b"'], "present")
    assert plan.action == txt_plan.NOOP
    assert not plan.changed
    assert plan.after == plan.before


def test_present_does_not_duplicate_our_own_values():
    plan = txt_plan.plan_rrset(KEY, None, ["a", '"a"'], "present")
    assert plan.after == ('"a"',)


def test_absent_removes_only_ours():
    plan = txt_plan.plan_rrset(KEY, (SPF, '"mine"', '"theirs"'), ["mine"], "absent")
    assert plan.action == txt_plan.REPLACE
    assert plan.after == (SPF, '"theirs"')


def test_absent_deletes_an_rrset_left_empty():
    plan = txt_plan.plan_rrset(KEY, ('"a"', "b"), ["a", "b"], "absent")
    assert plan.action == txt_plan.DELETE
    assert plan.after == ()


@pytest.mark.parametrize("existing", [None, (SPF,)])
def test_absent_with_nothing_of_ours_is_a_noop(existing):
    assert txt_plan.plan_rrset(KEY, existing, ["mine"], "absent").action == txt_plan.NOOP


def test_an_rrset_that_already_fulfils_the_request_needs_no_change():
    def satisfied(values, ours, state):
        return not txt_plan.plan_rrset(KEY, values, ours, state).changed

    assert satisfied(('"a"', "b"), ["a", "b"], "present")
    assert not satisfied(('"a"',), ["a", "b"], "present")
    assert not satisfied(None, ["a"], "present")
    assert satisfied(None, ["a"], "absent")
    assert satisfied((SPF,), ["a"], "absent")
    assert not satisfied((SPF, '"a"'), ["a"], "absent")


def test_diff_shows_each_rrset_before_and_after():
    other = RRsetKey("example.com", "_acme-challenge.www")
    result = txt_plan.diff([(KEY, (SPF,), (SPF, '"a"')), (other, (), ('"b"',))])
    assert result == {
        "before": {"_acme-challenge.example.com TXT": [SPF], "_acme-challenge.www.example.com TXT": []},
        "after": {"_acme-challenge.example.com TXT": [SPF, '"a"'], "_acme-challenge.www.example.com TXT": ['"b"']},
    }


# --- with the ledger ---------------------------------------------------------------

LEDGER_KEY = txt_plan.RRsetKey("example.test", "_acme-challenge")
NOW = 1_800_000_000
HOUR = 3600


def mark(value, at):
    return '"%s"' % ledger_.marker(value, at)


def plan(existing, ours, state, now=NOW, stale_after=HOUR):
    return txt_plan.plan_rrset(LEDGER_KEY, existing, ours, state, ledger_.Ledger(now, stale_after))


def test_ledger_publication_writes_each_value_with_its_marker():
    result = plan(['"v=spf1 -all"'], ["tok"], "present")
    assert result.after == ('"v=spf1 -all"', '"tok"', mark("tok", NOW))
    assert result.action == txt_plan.REPLACE
    assert plan(None, ["tok"], "present").action == txt_plan.CREATE


def test_ledger_publication_that_is_there_with_a_fresh_marker_writes_nothing():
    existing = ['"foreign"', '"tok"', mark("tok", NOW - 60)]
    assert plan(existing, ["tok"], "present").action == txt_plan.NOOP
    assert plan(existing, ["other"], "absent").action == txt_plan.NOOP


def test_ledger_withdrawal_removes_values_and_markers_of_ours_only():
    existing = ['"foreign"', '"tok"', mark("tok", NOW - 60),
                '"fresh-of-another-run"', mark("fresh-of-another-run", NOW - 30)]
    result = plan(existing, ["tok"], "absent")
    assert result.after == ('"foreign"', '"fresh-of-another-run"', mark("fresh-of-another-run", NOW - 30))


def test_values_of_ours_left_behind_are_withdrawn_when_the_rrset_is_written():
    left = ['"foreign"', '"old"', mark("old", NOW - 2 * HOUR), '"no-marker"']
    published = plan(left, ["new"], "present")
    assert published.after == ('"foreign"', '"no-marker"', '"new"', mark("new", NOW))
    withdrawn = plan(left, ["new"], "absent")
    assert withdrawn.after == ('"foreign"', '"no-marker"')
    assert withdrawn.action == txt_plan.REPLACE


def test_a_sweep_removes_only_values_of_ours_left_behind():
    left = ['"foreign"', '"old"', mark("old", NOW - 2 * HOUR), '"recent"', mark("recent", NOW - 60), '"no-marker"']
    swept = plan(left, [], "absent")
    assert swept.after == ('"foreign"', '"recent"', mark("recent", NOW - 60), '"no-marker"')
    assert plan(['"foreign"', '"recent"', mark("recent", NOW - 60)], [], "absent").action == txt_plan.NOOP
    assert plan(None, [], "absent").action == txt_plan.NOOP


def test_only_values_of_ours_left_behind_delete_the_rrset():
    assert plan(['"old"', mark("old", NOW - 2 * HOUR)], ["new"], "absent").action == txt_plan.DELETE


def test_a_value_without_a_marker_is_never_removed_unless_withdrawn_by_name():
    existing = ['"looks-like-ours"', '"certops-acme-ledger;v1;t=1;h=nothex"']
    assert plan(existing, ["x"], "absent").action == txt_plan.NOOP
    assert plan(existing, ["x"], "present", stale_after=0).after[:2] == tuple(existing)


def test_republishing_a_value_renews_its_stale_or_missing_marker():
    stale = plan(['"tok"', mark("tok", NOW - 2 * HOUR)], ["tok"], "present")
    assert stale.after == ('"tok"', mark("tok", NOW))
    missing = plan(['"tok"'], ["tok"], "present")
    assert missing.after == ('"tok"', mark("tok", NOW))


def test_orphan_markers_are_removed():
    result = plan(['"foreign"', mark("gone", NOW)], ["tok"], "absent")
    assert result.after == ('"foreign"',)


def test_zero_grace_removes_every_earlier_value_of_ours_but_converges_on_this_calls():
    first = plan(['"old"', mark("old", NOW - 1)], ["new"], "present", stale_after=0)
    assert first.after == ('"new"', mark("new", NOW))
    assert plan(list(first.after), ["new"], "present", stale_after=0).action == txt_plan.NOOP


def test_a_plan_converges_after_its_own_write():
    existing = ['"foreign"', '"old"', mark("old", NOW - 2 * HOUR), mark("orphan", NOW)]
    for state in ("present", "absent"):
        first = plan(existing, ["tok"], state)
        assert plan(list(first.after), ["tok"], state).action == txt_plan.NOOP
