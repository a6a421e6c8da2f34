# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options every Gandi module shares (see the ``gandi`` doc fragment) and the client they open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.argspec import CONNECTION, ArgumentSpec, http_client_options
from ansible_collections.certops.acme.plugins.module_utils.gandi.client import DEFAULT_API_URL, GandiClient
from ansible_collections.certops.acme.plugins.module_utils.gandi.credentials import detect_credential
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, require_https

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ansible_collections.certops.acme.plugins.module_utils.http_client import Transport

GANDI = ArgumentSpec(dict(
    personal_access_token=dict(type="str", no_log=True, env=["GANDI_PERSONAL_ACCESS_TOKEN"]),
    api_key=dict(type="str", no_log=True, env=["GANDI_API_KEY"]),
    api_url=dict(type="str", default=DEFAULT_API_URL),
)) + CONNECTION


def open_client(params: Mapping[str, Any], transport: Transport | None = None) -> tuple[GandiClient, list[str]]:
    """``(GandiClient, warnings)`` from the module parameters; no call is made yet.

    The credential kind comes from the value's shape (see ``credentials``); a
    value given in the option of the other kind is used with a warning.
    """
    credential, warnings = detect_credential(params["personal_access_token"], params["api_key"])
    require_https(params["api_url"], "api_url", example=DEFAULT_API_URL)
    http = HttpClient(params["api_url"], transport=transport, secrets=[credential.secret],
                      **http_client_options(params))
    return GandiClient(http, credential), list(warnings)
