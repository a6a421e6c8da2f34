# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.polling import Poll
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock


def rounds_until(poll, done_at=None):
    """Iterate ``poll``; stop when round ``done_at`` is reached; return the rounds seen."""
    seen = []
    for number in poll:
        seen.append((number, poll.elapsed()))
        if number == done_at:
            break
    return seen


def test_the_first_round_runs_at_once_and_a_done_round_sleeps_no_more():
    clock = FakeClock()
    poll = Poll(10.0, 2.0, clock)
    assert rounds_until(poll, done_at=1) == [(1, 0.0)]
    assert clock.sleeps == []
    assert poll.attempts == 1


def test_rounds_are_spaced_by_the_interval_and_the_last_sleep_ends_at_the_deadline():
    clock = FakeClock()
    poll = Poll(5.0, 2.0, clock)
    assert rounds_until(poll) == [(1, 0.0), (2, 2.0), (3, 4.0), (4, 5.0)]
    assert clock.sleeps == [2.0, 2.0, 1.0]
    assert poll.attempts == 4
    assert poll.remaining() == 0.0


def test_a_zero_timeout_still_looks_once():
    clock = FakeClock()
    poll = Poll(0.0, 1.0, clock)
    assert list(poll) == [1]
    assert clock.sleeps == []


def test_a_slow_round_counts_against_the_deadline():
    clock = FakeClock()
    poll = Poll(3.0, 1.0, clock)
    for _round in poll:
        clock.advance(2.5)  # the look itself takes 2.5 s
    assert poll.attempts == 2
    assert clock.sleeps == [0.5]
    assert poll.elapsed() == pytest.approx(5.5)


def test_the_interval_may_change_between_rounds():
    clock = FakeClock()
    poll = Poll(100.0, 1.0, clock)
    for number in poll:
        if number == 4:
            break
        poll.interval *= 2
    assert clock.sleeps == [2.0, 4.0, 8.0]


def test_the_default_clock_is_the_real_one():
    poll = Poll(0.0, 1.0)
    assert list(poll) == [1]
    assert poll.elapsed() >= 0.0
