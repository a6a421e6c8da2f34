# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module in a private temp and lock directory: scratch space that reports no change, in every mode."""

from __future__ import annotations

import os
import stat
import tempfile
import time

import pytest

from ansible_collections.certops.acme.plugins.module_utils import locks, workspace
from ansible_collections.certops.acme.plugins.modules import certificate_workspace
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.test_workspace import gone, me
from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module as run_main


@pytest.fixture
def tmp(monkeypatch, tmp_path):
    """The temp directory the work directories go to; the leases go to a sibling."""
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    monkeypatch.setenv(locks.LOCK_DIR_ENV, str(tmp_path / "locks"))
    return work


def run_module(monkeypatch, **args):
    params = dict(name="www")
    params.update(args)
    return run_main(monkeypatch, certificate_workspace, params)


def entries(directory):
    return sorted(os.listdir(directory))


@pytest.mark.parametrize("modes", [{}, dict(_ansible_check_mode=True), dict(_ansible_diff=True)])
def test_present_makes_a_private_directory_and_absent_removes_it(monkeypatch, tmp, modes):
    made = run_module(monkeypatch, **modes)
    assert made["changed"] is False and "diff" not in made and "msg" not in made
    assert os.path.dirname(made["path"]) == str(tmp) and stat.S_IMODE(os.stat(made["path"]).st_mode) == 0o700
    assert made["waited_seconds"] < 1 and made["removed_stale"] == []
    assert os.path.exists(workspace.lease_path("www"))
    removed = run_module(monkeypatch, state="absent", path=made["path"], **modes)
    assert removed == dict(changed=False, path=made["path"], warned=[])
    assert entries(tmp) == [] and not os.path.exists(workspace.lease_path("www"))


def test_the_directories_of_runs_that_are_gone_are_removed(monkeypatch, tmp):
    stale = workspace.create_directory(gone(), "old", parent=str(tmp))
    os.utime(stale, (time.time() - 120, time.time() - 120))
    made = run_module(monkeypatch, stale_after=60)
    assert made["removed_stale"] == [stale] and entries(tmp) == [os.path.basename(made["path"])]


def test_a_lease_held_by_a_live_run_times_out_and_leaves_no_directory(monkeypatch, tmp):
    held = workspace.create_directory(me(), "www", parent=str(tmp))
    workspace.try_acquire("www", me(), held)
    result = run_module(monkeypatch, timeout=0)
    assert result["changed"] is False and "being issued by another run" in result["msg"]
    assert "Traceback" in result["exception"] and entries(tmp) == [os.path.basename(held)]


@pytest.mark.parametrize("args, start", [
    (dict(name="../www"), "name: must be a certificate name usable in a file name"),
    (dict(name=".www"), "name: must be a certificate name usable in a file name"),
    (dict(state="absent"), "path: give the work directory to remove"),
])
def test_bad_input_fails_naming_the_option(monkeypatch, tmp, args, start):
    result = run_module(monkeypatch, **args)
    assert result["msg"].startswith(start) and result["changed"] is False and entries(tmp) == []


def _issued(path):
    for name in ("privkey.pem", "cert.pem", "chain.pem", "fullchain.pem"):
        with open(os.path.join(path, name), "w") as handle:
            handle.write("-- %s --\n" % name)


@pytest.mark.parametrize("modes", [{}, dict(_ansible_diff=True)])
def test_absent_with_copy_to_keeps_the_files_then_removes_the_directory(monkeypatch, tmp, tmp_path, modes):
    made = run_module(monkeypatch)
    _issued(made["path"])
    out = str(tmp_path / "out" / "www")
    kept = run_module(monkeypatch, state="absent", path=made["path"], copy_to=out, copy_record={"serial": "0a"}, **modes)
    assert kept["changed"] is True and "msg" not in kept
    assert kept["copied"] == ["privkey.pem", "cert.pem", "chain.pem", "fullchain.pem", "certificate.json"]
    assert entries(out) == ["cert.pem", "certificate.json", "chain.pem", "fullchain.pem", "privkey.pem"]
    assert stat.S_IMODE(os.stat(os.path.join(out, "privkey.pem")).st_mode) == 0o600
    assert entries(tmp) == [] and not os.path.exists(workspace.lease_path("www"))
    if modes:
        assert '"serial": "0a"' in kept["diff"]["after"] and "privkey" not in str(kept["diff"])
    else:
        assert "diff" not in kept


def test_a_failed_copy_fails_the_module_and_still_removes_the_directory(monkeypatch, tmp, tmp_path):
    made = run_module(monkeypatch)
    _issued(made["path"])
    os.unlink(os.path.join(made["path"], "chain.pem"))
    failed = run_module(monkeypatch, state="absent", path=made["path"], copy_to=str(tmp_path / "out"),
                        copy_record={})
    assert "chain.pem to keep a copy of it" in failed["msg"]
    assert entries(tmp) == [] and not os.path.exists(workspace.lease_path("www"))
    assert not (tmp_path / "out").exists()


def test_copy_to_goes_with_state_absent_and_a_record(monkeypatch, tmp, tmp_path):
    refused = run_module(monkeypatch, copy_to=str(tmp_path / "out"), copy_record={})
    assert refused["msg"].startswith("copy_to: ")
    assert entries(tmp) == []
    alone = run_module(monkeypatch, state="absent", path=str(tmp_path / "x"), copy_to=str(tmp_path / "out"))
    assert "copy_record" in alone["msg"]
