# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import random

import pytest

from ansible_collections.certops.acme.plugins.module_utils.retry import Retry, RetryPolicy
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock


class HighestJitter:
    """A random source that always draws the top of the range, and counts its draws."""

    def __init__(self):
        self.draws = 0

    def uniform(self, low, high):
        self.draws += 1
        return high


def test_backoff_doubles_up_to_the_cap_with_half_of_it_jitter():
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0)
    rng = random.Random(1)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 3.0), (9, 3.0)]:
        delay = policy.backoff(attempt, rng)
        assert ceiling / 2 <= delay <= ceiling


def test_retry_after_lengthens_the_delay_but_is_capped():
    policy = RetryPolicy(base_delay=0.5, max_retry_after=20.0)
    assert policy.delay(1, 7.0, HighestJitter()) == 7.0
    assert policy.delay(1, 600.0, HighestJitter()) == 20.0
    assert policy.delay(1, 0.0, HighestJitter()) == 0.5
    assert policy.delay(1, None, HighestJitter()) == 0.5


def test_again_sleeps_the_backoff_until_the_attempts_are_spent():
    clock, rng = FakeClock(), HighestJitter()
    retry = Retry(RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=10.0), clock, rng)
    assert [retry.again() for _attempt in range(4)] == [True, True, True, False]
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert retry.failures == 4
    assert rng.draws == 3  # nothing drawn for the attempt that is not followed by another


def test_a_caller_may_lower_the_attempt_limit_for_one_failure():
    clock = FakeClock()
    retry = Retry(RetryPolicy(max_attempts=5), clock, HighestJitter())
    assert retry.again(max_attempts=2) is True
    assert retry.again(max_attempts=2) is False
    assert len(clock.sleeps) == 1
    # the policy's limit stays the upper bound
    assert Retry(RetryPolicy(max_attempts=1), clock, HighestJitter()).again(max_attempts=9) is False


def test_a_failure_that_is_not_retryable_ends_at_once_but_counts():
    clock, rng = FakeClock(), HighestJitter()
    retry = Retry(RetryPolicy(max_attempts=5), clock, rng)
    assert retry.again() is True
    assert retry.again(retryable=False) is False
    assert retry.failures == 2
    assert len(clock.sleeps) == 1 and rng.draws == 1


def test_the_server_asked_delay_is_slept():
    clock = FakeClock()
    retry = Retry(RetryPolicy(base_delay=0.5, max_retry_after=60.0), clock, HighestJitter())
    assert retry.again(retry_after=12.0) is True
    assert clock.sleeps == [12.0]


def test_no_sleep_that_would_pass_the_deadline():
    clock = FakeClock()
    retry = Retry(RetryPolicy(max_attempts=10, base_delay=4.0, max_delay=100.0, deadline=10.0), clock, HighestJitter())
    assert retry.again() is True  # 4 s, 6 s left
    assert retry.again() is False  # 8 s > 6 s
    assert clock.sleeps == [4.0]
    assert retry.deadline.remaining() == pytest.approx(6.0)


def test_the_deadline_runs_from_when_the_budget_is_made():
    clock = FakeClock()
    retry = Retry(RetryPolicy(base_delay=4.0, deadline=10.0), clock, HighestJitter())
    clock.advance(7.0)  # the first attempt took 7 s
    assert retry.again() is False
    assert clock.sleeps == []


def test_defaults_are_the_real_clock_and_a_private_random_source():
    retry = Retry()
    assert isinstance(retry.policy, RetryPolicy)
    assert isinstance(retry.rng, random.Random)
    assert retry.clock.monotonic() > 0


def test_jitter_comes_from_the_injected_random_source():
    first, second = FakeClock(), FakeClock()
    for clock in (first, second):
        retry = Retry(RetryPolicy(max_attempts=4), clock, random.Random(42))
        while retry.again():
            pass
    assert first.sleeps == second.sleeps and len(set(first.sleeps)) == 3
