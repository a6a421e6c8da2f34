# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import os
import stat
import subprocess
import time

import pytest

from ansible_collections.certops.acme.plugins.module_utils import workspace
from ansible_collections.certops.acme.plugins.module_utils.errors import TimeoutExpired
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock


def me():
    return {"pid": os.getpid(), "start": workspace.process_start(os.getpid())}


def gone():
    process = subprocess.Popen(["true"])
    process.wait()
    return {"pid": process.pid, "start": 1}


def test_a_live_process_is_alive_and_a_finished_one_is_not():
    assert workspace.owner_alive(me()) is True
    assert workspace.owner_alive(gone()) is False
    assert workspace.owner_alive({"pid": os.getpid(), "start": -5}) is False  # a reused pid
    assert workspace.owner_alive(None) is None


def test_a_work_directory_is_private_and_records_its_run(tmp_path):
    path = workspace.create_directory(me(), "www", parent=str(tmp_path))
    assert os.path.basename(path).startswith("issue_and_deploy.www.")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700
    with open(os.path.join(path, workspace.OWNER_FILE)) as handle:
        assert json.load(handle)["owner"] == me()


def _dir(tmp_path, name, owner, age):
    path = tmp_path / ("issue_and_deploy.%s" % name)
    path.mkdir()
    if owner is not None:
        (path / workspace.OWNER_FILE).write_text(json.dumps({"owner": owner}))
    old = time.time() - age
    os.utime(path, (old, old))
    return str(path)


def test_only_our_old_directories_of_runs_that_are_gone_are_stale(tmp_path):
    stale = _dir(tmp_path, "a.stale", gone(), 7200)
    _dir(tmp_path, "a.recent", gone(), 0)
    _dir(tmp_path, "a.running", me(), 7200)
    _dir(tmp_path, "a.foreign", None, 7200)
    other = tmp_path / "something.else"
    other.mkdir()
    os.symlink(stale, str(tmp_path / "issue_and_deploy.link"))
    assert workspace.stale_directories(str(tmp_path), stale_after=600) == [stale]


def test_the_lease_is_exclusive_between_live_runs_and_released_by_its_holder(tmp_path):
    locks = str(tmp_path / "locks")
    first = str(tmp_path / "first")
    os.mkdir(first)
    workspace.try_acquire("www", me(), first, directory=locks)
    with pytest.raises(workspace.LeaseHeld, match="certificate www is being issued by another run"):
        workspace.try_acquire("www", me(), str(tmp_path / "second"), directory=locks)
    workspace.try_acquire("shop", me(), str(tmp_path / "second"), directory=locks)  # another name is free
    assert workspace.release("www", str(tmp_path / "second"), directory=locks) is False
    assert workspace.release("www", first, directory=locks) is True
    workspace.try_acquire("www", me(), str(tmp_path / "second"), directory=locks)


def test_the_lease_of_a_run_that_is_gone_is_taken_over(tmp_path):
    locks = str(tmp_path / "locks")
    workspace.try_acquire("www", gone(), str(tmp_path / "killed"), directory=locks)
    lease = workspace.try_acquire("www", me(), str(tmp_path / "new"), directory=locks)
    assert lease["workdir"] == str(tmp_path / "new")


def test_a_lease_of_an_unknown_run_holds_while_its_directory_exists_and_not_for_ever(tmp_path):
    locks = str(tmp_path / "locks")
    held = tmp_path / "held"
    held.mkdir()
    workspace.try_acquire("www", None, str(held), directory=locks, now=1000.0)
    with pytest.raises(workspace.LeaseHeld):
        workspace.try_acquire("www", me(), str(tmp_path / "new"), directory=locks, now=1001.0)
    workspace.try_acquire("www", me(), str(tmp_path / "new"), directory=locks,
                          now=1000.0 + workspace.UNKNOWN_OWNER_LEASE + 1)


def test_waiting_for_a_lease_gives_up_at_the_deadline_on_the_injected_clock(tmp_path):
    locks = str(tmp_path / "locks")
    workspace.try_acquire("www", me(), str(tmp_path / "first"), directory=locks)
    clock = FakeClock()
    with pytest.raises(TimeoutExpired, match="for more than 5 seconds"):
        workspace.acquire("www", me(), str(tmp_path / "second"), 5.0, directory=locks, clock=clock)
    assert clock.sleeps and sum(clock.sleeps) >= 5.0


def test_run_owner_is_an_ansible_ancestor_or_unknown():
    owner = workspace.run_owner()
    # Under pytest there is no ansible-playbook above us, unless pytest runs inside ansible-test.
    assert owner is None or workspace.owner_alive(owner) is True


def _issued(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    for name in ("privkey.pem", "cert.pem", "chain.pem", "fullchain.pem"):
        (work / name).write_text("-- %s --\n" % name)
    return str(work)


def _mode(path):
    return stat.S_IMODE(os.lstat(str(path)).st_mode)


def test_a_kept_copy_has_the_layout_and_modes_of_the_local_copy(tmp_path):
    work = _issued(tmp_path)
    out = tmp_path / "out" / "www"
    written = workspace.keep_copy(work, str(out), {"serial": "0a", "dogecloud_id": 7})
    assert written == ["privkey.pem", "cert.pem", "chain.pem", "fullchain.pem", "certificate.json"]
    assert _mode(out) == 0o700
    assert _mode(out / "privkey.pem") == 0o600
    assert [_mode(out / name) for name in ("cert.pem", "chain.pem", "fullchain.pem", "certificate.json")] == [0o644] * 4
    assert (out / "fullchain.pem").read_text() == "-- fullchain.pem --\n"
    assert json.loads((out / "certificate.json").read_text()) == {"serial": "0a", "dogecloud_id": 7}
    assert (out / "certificate.json").read_text().endswith("}\n")
    assert sorted(os.listdir(str(out))) == ["cert.pem", "certificate.json", "chain.pem", "fullchain.pem", "privkey.pem"]


def test_a_kept_copy_writes_only_what_differs_and_check_mode_writes_nothing(tmp_path):
    work = _issued(tmp_path)
    out = tmp_path / "out"
    workspace.keep_copy(work, str(out), {"serial": "0a"})
    assert workspace.keep_copy(work, str(out), {"serial": "0a"}) == []
    os.chmod(str(out / "privkey.pem"), 0o644)
    assert workspace.keep_copy(work, str(out), {"serial": "0b"}, check_mode=True) == ["privkey.pem", "certificate.json"]
    assert _mode(out / "privkey.pem") == 0o644 and "0a" in (out / "certificate.json").read_text()
    assert workspace.keep_copy(work, str(out), {"serial": "0b"}) == ["privkey.pem", "certificate.json"]
    assert _mode(out / "privkey.pem") == 0o600 and "0b" in (out / "certificate.json").read_text()
    nothing = tmp_path / "nothing"
    assert workspace.keep_copy(work, str(nothing), {}, check_mode=True) == [
        "privkey.pem", "cert.pem", "chain.pem", "fullchain.pem", "certificate.json"]
    assert not nothing.exists()


def test_the_key_is_written_to_a_private_file_and_renamed_into_place(tmp_path, monkeypatch):
    work = _issued(tmp_path)
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    (out / "privkey.pem").write_text("old key")
    os.chmod(str(out / "privkey.pem"), 0o644)
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append((os.path.basename(dst), _mode(src), open(src).read()))
        assert os.path.basename(src).startswith(".")
        return real_replace(src, dst)

    monkeypatch.setattr(workspace.os, "replace", replace)
    workspace.keep_copy(work, str(out), {})
    assert seen[0] == ("privkey.pem", 0o600, "-- privkey.pem --\n")
    assert _mode(out) == 0o700
    assert [entry for entry in os.listdir(str(out)) if entry.startswith(".")] == []


def test_a_missing_issued_file_fails_before_anything_is_written(tmp_path):
    work = _issued(tmp_path)
    os.unlink(os.path.join(work, "chain.pem"))
    out = tmp_path / "out"
    with pytest.raises(workspace.CertopsError, match="cannot read .*chain.pem to keep a copy"):
        workspace.keep_copy(work, str(out), {})
    assert not out.exists()


def test_a_failed_write_leaves_no_temporary_file_and_names_the_directory(tmp_path, monkeypatch):
    work = _issued(tmp_path)
    out = tmp_path / "out"

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(workspace.os, "replace", refuse)
    with pytest.raises(workspace.CertopsError, match="cannot keep a copy of the certificate in .*out: .*Permission denied"):
        workspace.keep_copy(work, str(out), {})
    assert os.listdir(str(out)) == []


def test_the_diff_of_a_kept_copy_shows_the_record_only(tmp_path):
    out = tmp_path / "out"
    first = workspace.record_diff(str(out), {"serial": "0a"})
    assert first["before"] == "" and json.loads(first["after"]) == {"serial": "0a"}
    assert first["after_header"] == str(out / "certificate.json")
    workspace.keep_copy(_issued(tmp_path), str(out), {"serial": "0a"})
    second = workspace.record_diff(str(out), {"serial": "0b"})
    assert json.loads(second["before"]) == {"serial": "0a"} and json.loads(second["after"]) == {"serial": "0b"}
    assert "privkey" not in second["before"] + second["after"]
