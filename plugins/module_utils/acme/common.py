# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the three ACME modules share: their options (see the ``acme`` doc fragment) and the client they open.

Plain data and functions, without Ansible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.acme import keys
from ansible_collections.certops.acme.plugins.module_utils.acme.client import REQUIRED_RESOURCES, AcmeClient
from ansible_collections.certops.acme.plugins.module_utils.argspec import CONNECTION, ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.http_client import require_https

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ansible_collections.certops.acme.plugins.module_utils.acme.client import CertopsNetwork

ACME = ArgumentSpec(
    dict(
        directory=dict(type="str", required=True),
        account_key_path=dict(type="path", no_log=False),
        account_key_content=dict(type="str", no_log=True),
        account_key_create=dict(type="bool", default=False),
        directory_document=dict(type="dict"),
        nonce=dict(type="str"),
    ),
    mutually_exclusive=[("account_key_path", "account_key_content")],
    required_one_of=[("account_key_path", "account_key_content")],
) + CONNECTION

# The account URL that an earlier step returned (``acme_order``, ``acme_order_finalize``).
ACCOUNT_URI = ArgumentSpec(dict(account_uri=dict(type="str")))

DIRECTORY_REASON = ("ACME is spoken over HTTPS only (RFC 8555 6.1); give the CA's https:// directory URL, "
                    "for example https://acme-v02.api.letsencrypt.org/directory")


def check_directory(url: object) -> None:
    """Refuse a directory that is not HTTPS (plain http only to a loopback host), before any call."""
    require_https(url, "directory", DIRECTORY_REASON, example="https://acme-v02.api.letsencrypt.org/directory")


def check_directory_document(document: Mapping[str, Any] | None) -> None:
    """Refuse a directory document without the resources every module needs, before any call."""
    if document is None:
        return
    missing = [name for name in REQUIRED_RESOURCES if not isinstance(document.get(name), str)]
    if missing:
        raise InvalidInputError("directory_document", "is not an ACME directory (no %s); pass the directory_document "
                                "an earlier ACME module returned, or leave it out" % ", ".join(missing))


def check_account_uri(uri: str | None) -> None:
    if uri is not None and not uri.startswith(("https://", "http://")):
        raise InvalidInputError("account_uri", "must be the URL of the account (account_uri returned by "
                                "certops.acme.acme_account), got %r" % (uri,))


def open_client(params: Mapping[str, Any], check_mode: bool = False,
                network: CertopsNetwork | None = None) -> tuple[AcmeClient, keys.KeyOutcome]:
    """``(AcmeClient, KeyOutcome)`` from the module parameters; no call is made yet.

    A ``directory_document`` replaces the read of the directory, a ``nonce``
    the first new-nonce request, an ``account_uri`` (where the module takes it)
    the account lookup.
    """
    check_directory(params["directory"])
    check_directory_document(params.get("directory_document"))
    check_account_uri(params.get("account_uri"))
    key = keys.account_key(params.get("account_key_path"), params.get("account_key_content"),
                           params.get("account_key_create", False), check_mode)
    client = AcmeClient(params["directory"], key.key, validate_certs=params["validate_certs"],
                        ca_path=params.get("ca_path"), timeout=params["timeout"], network=network,
                        directory_document=params.get("directory_document"), nonce=params.get("nonce"))
    if params.get("account_uri"):
        client.assume_account(params["account_uri"])
    return client, key


def carried(client: AcmeClient) -> dict[str, Any]:
    """What the next ACME step can take over: ``directory_document`` and an unused ``nonce``."""
    return dict(directory_document=client.directory_document, nonce=client.unused_nonce())
