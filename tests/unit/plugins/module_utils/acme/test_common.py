# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.acme import common
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError


@pytest.mark.parametrize("url", [
    "https://acme-v02.api.letsencrypt.org/directory",
    "http://127.0.0.1:14000/dir",
    "http://127.8.9.1/dir",
    "http://localhost:14000/dir",
    "http://[::1]:14000/dir",
])
def test_https_and_loopback_http_directories_are_accepted(url):
    common.check_directory(url)


@pytest.mark.parametrize("url", [
    "http://acme.example.test/directory",
    "http://10.0.0.1/dir",
    "http://localhost.example.test/dir",
])
def test_plain_http_elsewhere_is_refused_naming_the_option_and_the_fix(url):
    with pytest.raises(InvalidInputError) as failure:
        common.check_directory(url)
    assert failure.value.option == "directory"
    assert failure.value.message.startswith("directory: %r must be an https:// URL" % url)
    assert "RFC 8555 6.1" in failure.value.message and "https://acme-v02.api.letsencrypt.org/directory" in \
        failure.value.message


@pytest.mark.parametrize("url", ["acme.example.test/directory", "ftp://acme.example.test/dir", ""])
def test_a_directory_that_is_no_url_is_refused(url):
    with pytest.raises(InvalidInputError, match="directory: must be an https:// URL such as"):
        common.check_directory(url)


def test_open_client_refuses_before_reading_any_key(tmp_path):
    params = dict(directory="http://acme.example.test/directory", account_key_path=str(tmp_path / "missing.key"),
                  account_key_content=None, account_key_create=True, validate_certs=True, ca_path=None, timeout=10)
    with pytest.raises(InvalidInputError, match="^directory: "):
        common.open_client(params)
    assert not (tmp_path / "missing.key").exists()  # nothing created, nothing sent
