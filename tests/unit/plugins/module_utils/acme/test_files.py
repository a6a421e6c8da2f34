# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.certops.acme.plugins.module_utils.acme import files
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_creates_with_mode_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "cert.pem"
    assert files.write_atomic(str(target), "one\n", files.PUBLIC_MODE) == (True, None)
    assert target.read_text() == "one\n"
    assert mode(target) == 0o644
    assert os.listdir(tmp_path) == ["cert.pem"]


def test_identical_file_is_left_untouched(tmp_path):
    target = tmp_path / "cert.pem"
    files.write_atomic(str(target), "one\n", files.PUBLIC_MODE)
    inode = os.stat(target).st_ino
    assert files.write_atomic(str(target), b"one\n", files.PUBLIC_MODE) == (False, None)
    assert os.stat(target).st_ino == inode
    assert not files.needs_write(str(target), "one\n", files.PUBLIC_MODE)


def test_identical_content_with_another_mode_only_gets_the_mode(tmp_path):
    target = tmp_path / "key.pem"
    target.write_text("secret\n")
    os.chmod(target, 0o644)
    inode = os.stat(target).st_ino
    assert files.needs_write(str(target), "secret\n", files.PRIVATE_MODE)
    assert files.write_atomic(str(target), "secret\n", files.PRIVATE_MODE) == (True, None)
    assert mode(target) == 0o600
    assert os.stat(target).st_ino == inode


def test_changed_file_is_replaced_with_a_backup(tmp_path):
    target = tmp_path / "cert.pem"
    files.write_atomic(str(target), "old\n", files.PUBLIC_MODE)
    changed, backup = files.write_atomic(str(target), "new\n", files.PUBLIC_MODE, backup=True, clock=FakeClock())
    assert changed
    assert backup == str(target) + ".20260101T000000.000000Z~"
    assert open(backup).read() == "old\n"
    assert target.read_text() == "new\n"


def test_no_backup_of_a_new_file(tmp_path):
    assert files.write_atomic(str(tmp_path / "x.pem"), "x", files.PUBLIC_MODE, backup=True) == (True, None)


def test_write_failure_is_explained_and_cleans_up(tmp_path):
    missing_dir = tmp_path / "nope" / "cert.pem"
    with pytest.raises(files.FileWriteError, match="cannot write .*cert.pem") as caught:
        files.write_atomic(str(missing_dir), "x", files.PUBLIC_MODE)
    assert ".tmp" not in caught.value.message  # the temporary file is ours, not the user's business


def test_exclusive_creation_writes_a_new_file_whole_with_its_mode(tmp_path):
    path = str(tmp_path / "account.key")
    assert files.create_exclusive(path, "first", 0o600)
    assert open(path).read() == "first" and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(str(tmp_path)) == ["account.key"]


def test_exclusive_creation_leaves_a_file_another_writer_made_first(tmp_path):
    path = str(tmp_path / "account.key")
    files.write_atomic(path, "first", 0o600)
    assert not files.create_exclusive(path, "second", 0o600)
    assert open(path).read() == "first"
    assert os.listdir(str(tmp_path)) == ["account.key"]


def test_exclusive_creation_failure_is_explained(tmp_path):
    with pytest.raises(files.FileWriteError, match="cannot write .*account.key") as caught:
        files.create_exclusive(str(tmp_path / "nope" / "account.key"), "x", 0o600)
    assert ".tmp" not in caught.value.message
