# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options every DogeCloud module shares (see the ``dogecloud`` doc fragment) and the client they open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.argspec import CONNECTION, ArgumentSpec, http_client_options
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DEFAULT_API_URL, DogeCloudClient
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ansible_collections.certops.acme.plugins.module_utils.http_client import Transport

ACCESS_KEY_ENV = "DOGECLOUD_ACCESS_KEY"
SECRET_KEY_ENV = "DOGECLOUD_SECRET_KEY"

DOGECLOUD = ArgumentSpec(dict(
    access_key=dict(type="str", required=True, no_log=True, env=[ACCESS_KEY_ENV]),
    secret_key=dict(type="str", required=True, no_log=True, env=[SECRET_KEY_ENV]),
    api_url=dict(type="str", default=DEFAULT_API_URL),
)) + CONNECTION


def open_client(params: Mapping[str, Any], secrets: Iterable[str] = (),
                transport: Transport | None = None) -> DogeCloudClient:
    """A signed ``DogeCloudClient`` from the module parameters; no call is made yet.

    The secret key and ``secrets`` (a private key being uploaded) are redacted
    from every error and log line of the HTTP layer.
    """
    http = HttpClient(params["api_url"], transport=transport, secrets=[params["secret_key"], *secrets],
                      **http_client_options(params))
    return DogeCloudClient(http, params["access_key"], params["secret_key"])
