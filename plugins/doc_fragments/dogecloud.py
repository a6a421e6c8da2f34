# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - The AccessKey of a DogeCloud API key pair (DogeCloud console, User center, Key management).
      - If not set, the environment variable E(DOGECLOUD_ACCESS_KEY) is used.
      - Every request is signed with this pair in an C(Authorization) header of the form
        C(TOKEN <AccessKey>:<sign>). A C(403 AccessToken Error) answer means that O(access_key) and
        O(secret_key) do not belong together; clock skew and region cannot cause it, because the
        signature has no timestamp.
    type: str
    required: true
  secret_key:
    description:
      - The SecretKey of the same DogeCloud API key pair. It signs each request and is never sent.
      - If not set, the environment variable E(DOGECLOUD_SECRET_KEY) is used.
    type: str
    required: true
  api_url:
    description:
      - Base URL of the DogeCloud API.
    type: str
    default: https://api.dogecloud.com
notes:
  - Set the credentials once for all DogeCloud modules with C(module_defaults) and the action group
    C(group/certops.acme.dogecloud), or through the environment variables (which is how AWX custom
    credential types inject them).
  - Transient faults (HTTP 429 and 5xx, an envelope C(code) of 500 and above, connection resets and
    timeouts) are retried with bounded exponential backoff and jitter, honouring C(Retry-After).
requirements:
  - requests
"""
