# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the three ACME modules share: their common options and the client they open.

Plain data and functions, without Ansible: the modules add the connection
options from ``module.connection_argument_spec()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.acme import keys
from ansible_collections.certops.acme.plugins.module_utils.acme.client import AcmeClient
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.http_client import require_https

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ansible_collections.certops.acme.plugins.module_utils.acme.client import CertopsNetwork

MUTUALLY_EXCLUSIVE = [("account_key_path", "account_key_content")]
REQUIRED_ONE_OF = [("account_key_path", "account_key_content")]


def acme_options() -> dict[str, dict[str, Any]]:
    """The options of the ``certops.acme.acme`` documentation fragment."""
    return dict(
        directory=dict(type="str", required=True),
        account_key_path=dict(type="path", no_log=False),
        account_key_content=dict(type="str", no_log=True),
        account_key_create=dict(type="bool", default=False),
    )


DIRECTORY_REASON = ("ACME is spoken over HTTPS only (RFC 8555 6.1); give the CA's https:// directory URL, "
                    "for example https://acme-v02.api.letsencrypt.org/directory")


def check_directory(url: object) -> None:
    """Refuse a directory that is not HTTPS (plain http only to a loopback host), before any call."""
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise InvalidInputError("directory", "must be the https:// URL of the CA's ACME directory, got %r" % (url,))
    require_https(url, "directory", DIRECTORY_REASON)


def open_client(params: Mapping[str, Any], check_mode: bool = False,
                network: CertopsNetwork | None = None) -> tuple[AcmeClient, keys.KeyOutcome]:
    """``(AcmeClient, KeyOutcome)`` from the module parameters; no call is made yet."""
    check_directory(params["directory"])
    key = keys.account_key(params.get("account_key_path"), params.get("account_key_content"),
                           params.get("account_key_create", False), check_mode)
    client = AcmeClient(params["directory"], key.key, validate_certs=params["validate_certs"],
                        ca_path=params.get("ca_path"), timeout=params["timeout"], network=network)
    return client, key
