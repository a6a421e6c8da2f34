# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime

import pytest

from ansible_collections.certops.acme.plugins.module_utils.clock import Deadline, SystemClock, days_left, from_unix

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize("expires, expected", [
    (NOW + 30 * DAY, 30),
    (NOW + 30 * DAY - datetime.timedelta(seconds=1), 29),
    (NOW + datetime.timedelta(hours=23), 0),
    (NOW, 0),
    (NOW - datetime.timedelta(seconds=1), -1),
    (NOW - 2 * DAY, -2),
])
def test_days_left_counts_whole_days_rounded_down(expires, expected):
    assert days_left(expires, NOW) == expected


def test_from_unix_is_utc():
    assert from_unix(int(NOW.timestamp())) == NOW
    assert from_unix(0).tzinfo == datetime.timezone.utc


def test_deadline_on_the_system_clock():
    deadline = Deadline(60.0, SystemClock())
    assert not deadline.expired()
    assert 0.0 < deadline.remaining() <= 60.0
    assert Deadline(0.0, SystemClock()).expired()
