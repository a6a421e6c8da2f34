# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options shared by the DogeCloud modules (see the ``dogecloud`` doc fragment).

Ansible's ``env_fallback`` is passed in by the modules, so this file stays
free of Ansible imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DEFAULT_API_URL, DogeCloudClient
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from ansible_collections.certops.acme.plugins.module_utils.http_client import Transport

ACCESS_KEY_ENV = "DOGECLOUD_ACCESS_KEY"
SECRET_KEY_ENV = "DOGECLOUD_SECRET_KEY"


def credential_argument_spec(env_fallback: Callable[..., Any]) -> dict[str, dict[str, Any]]:
    return dict(
        access_key=dict(type="str", required=True, no_log=True, fallback=(env_fallback, [ACCESS_KEY_ENV])),
        secret_key=dict(type="str", required=True, no_log=True, fallback=(env_fallback, [SECRET_KEY_ENV])),
        api_url=dict(type="str", default=DEFAULT_API_URL),
    )


def build_client(params: Mapping[str, Any], http_options: Mapping[str, Any], secrets: Iterable[str] = (),
                 transport: Transport | None = None) -> DogeCloudClient:
    """A signed DogeCloud client from module parameters; ``secrets`` are redacted from errors."""
    http = HttpClient(params["api_url"], transport=transport, secrets=[params["secret_key"], *secrets],
                      **http_options)
    return DogeCloudClient(http, params["access_key"], params["secret_key"])
