# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.certops.acme.plugins.module_utils import locks
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.gandi.challenge import rrset_lock
from ansible_collections.certops.acme.plugins.module_utils.gandi.txt_plan import RRsetKey
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock


def test_lock_path_is_a_stable_hash_per_resource(tmp_path):
    first = locks.lock_path(("https://api", "example.test", "_acme-challenge", "TXT"), str(tmp_path))
    again = locks.lock_path(("https://api", "example.test", "_acme-challenge", "TXT"), str(tmp_path))
    other = locks.lock_path(("https://api", "example.test", "_acme-challenge.www", "TXT"), str(tmp_path))
    assert first == again != other
    assert os.path.dirname(first) == str(tmp_path)
    assert first.endswith(".lock")


def test_rrset_lock_ignores_a_trailing_slash_of_the_api_url(tmp_path):
    key = RRsetKey("example.test", "_acme-challenge")
    assert rrset_lock("https://api/v5/", key, str(tmp_path)).path == rrset_lock("https://api/v5", key, str(tmp_path)).path


def test_lock_is_exclusive_and_waits_on_the_injected_clock_until_timeout(tmp_path):
    path = str(tmp_path / "locks" / "x.lock")
    clock = FakeClock()
    with locks.FileLock(path, timeout=1.0, clock=FakeClock()):
        with pytest.raises(TimeoutExpired, match="more than 1 seconds") as caught:
            with locks.FileLock(path, timeout=1.0, clock=clock, what="the TXT rrset x"):
                pass
    assert "the TXT rrset x" in str(caught.value)
    assert sum(clock.sleeps) == pytest.approx(1.0)
    assert all(0 < pause <= locks.POLL_INTERVAL for pause in clock.sleeps)


def test_lock_is_released_after_the_block_even_on_error(tmp_path):
    path = str(tmp_path / "x.lock")
    with pytest.raises(RuntimeError):
        with locks.FileLock(path, timeout=1.0, clock=FakeClock()):
            raise RuntimeError("boom")
    clock = FakeClock()
    with locks.FileLock(path, timeout=1.0, clock=clock):
        pass
    assert clock.sleeps == []


def test_lock_directory_is_private(tmp_path):
    directory = tmp_path / "locks"
    with locks.FileLock(str(directory / "x.lock"), clock=FakeClock()):
        pass
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(directory / "x.lock").st_mode) == 0o600


def test_symlinked_lock_directory_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink(str(tmp_path / "elsewhere"), str(tmp_path / "locks"))
    with pytest.raises(CertopsError, match="not a directory owned by this user"):
        with locks.FileLock(str(tmp_path / "locks" / "x.lock"), clock=FakeClock()):
            pass


def test_default_lock_dir(monkeypatch, tmp_path):
    monkeypatch.setenv(locks.LOCK_DIR_ENV, str(tmp_path / "mine"))
    assert locks.default_lock_dir() == str(tmp_path / "mine")
    monkeypatch.delenv(locks.LOCK_DIR_ENV)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert locks.default_lock_dir() == str(tmp_path / "certops-acme-locks")
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert locks.default_lock_dir().endswith("certops-acme-locks-%d" % os.getuid())
