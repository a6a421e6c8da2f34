# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import files, keys
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("key_type", ["ec256", "ec384", "rsa2048"])  # larger RSA sizes: see the mapping test
def test_generated_keys_have_the_requested_type(key_type):
    assert pem.key_type(keys.generate_private_key(key_type)) == key_type


def test_rsa_sizes_are_mapped():
    assert keys._RSA_SIZES == {"rsa2048": 2048, "rsa3072": 3072, "rsa4096": 4096}  # pylint: disable=protected-access


def test_unknown_key_type_fails():
    with pytest.raises(InvalidInputError, match="key_type: 'dsa1024' is not one of"):
        keys.generate_private_key("dsa1024")


def test_missing_account_key_is_created_only_when_asked(tmp_path):
    path = str(tmp_path / "account.key")
    with pytest.raises(InvalidInputError, match="account_key_path: .* does not exist; .*account_key_create: true"):
        keys.account_key(path)
    created = keys.account_key(path, create=True)
    assert created.changed and created.generated
    assert mode(path) == 0o600
    assert pem.key_type(created.key) == "ec256"
    again = keys.account_key(path, create=True)
    assert not again.changed
    assert pem.public_key_bytes(again.key) == pem.public_key_bytes(created.key)


def test_a_run_that_creates_the_account_key_second_takes_the_first_ones(tmp_path, monkeypatch):
    path = str(tmp_path / "account.key")
    first = keys.generate_private_key("ec256")
    real_read_text = files.read_text

    # The other run writes the file between this run's look (nothing there) and its own write.
    def read_text_as_the_race_has_it(name):
        if not os.path.exists(path):
            files.write_atomic(path, pem.dump_private_key(first), files.PRIVATE_MODE)
            return None
        return real_read_text(name)

    monkeypatch.setattr(files, "read_text", read_text_as_the_race_has_it)
    outcome = keys.account_key(path, create=True)
    assert not outcome.changed and not outcome.generated
    assert pem.public_key_bytes(outcome.key) == pem.public_key_bytes(first)
    assert pem.public_key_bytes(pem.load_private_key(real_read_text(path), "x")) == pem.public_key_bytes(first)
    assert sorted(os.listdir(str(tmp_path))) == ["account.key"]


def test_account_key_in_check_mode_is_not_written(tmp_path):
    path = str(tmp_path / "account.key")
    outcome = keys.account_key(path, create=True, check_mode=True)
    assert outcome.changed
    assert not os.path.exists(path)


def test_missing_account_key_directory_is_created_private(tmp_path):
    path = str(tmp_path / "home" / ".certops" / "account.key")
    created = keys.account_key(path, create=True)
    assert created.changed
    assert mode(str(tmp_path / "home" / ".certops")) == 0o700
    assert mode(path) == 0o600


def test_missing_account_key_directory_is_only_checked_in_check_mode(tmp_path):
    path = str(tmp_path / ".certops" / "account.key")
    assert keys.account_key(path, create=True, check_mode=True).changed
    assert not os.path.exists(str(tmp_path / ".certops"))


def test_an_account_key_directory_that_cannot_be_made_fails_the_same_in_check_mode(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    path = str(blocker / "account.key")
    for check_mode in (True, False):
        with pytest.raises(files.FileWriteError, match="cannot create the directory .*a-file for .*account.key"):
            keys.account_key(path, create=True, check_mode=check_mode)


def test_account_key_content_wins(tmp_path):
    content = pem.dump_private_key(keys.generate_private_key("ec384"))
    outcome = keys.account_key(content=content)
    assert pem.key_type(outcome.key) == "ec384" and not outcome.changed


def test_certificate_key_is_fresh_unless_reused(tmp_path):
    path = str(tmp_path / "cert.key")
    first = keys.certificate_key(path, "ec256")
    second = keys.certificate_key(path, "ec256")
    assert first.changed and second.changed
    assert pem.public_key_bytes(first.key) != pem.public_key_bytes(second.key)
    reused = keys.certificate_key(path, "ec256", reuse=True)
    assert not reused.changed
    assert pem.public_key_bytes(reused.key) == pem.public_key_bytes(second.key)
    assert mode(path) == 0o600


def test_reused_key_of_another_type_fails(tmp_path):
    path = str(tmp_path / "cert.key")
    keys.certificate_key(path, "ec384")
    with pytest.raises(InvalidInputError, match="holds an ec384 key but key_type is ec256"):
        keys.certificate_key(path, "ec256", reuse=True)


def test_finalize_needs_the_key_of_the_order(tmp_path):
    with pytest.raises(InvalidInputError, match="run certops.acme.acme_order with the same private_key_path first"):
        keys.existing_certificate_key(str(tmp_path / "missing.key"))
