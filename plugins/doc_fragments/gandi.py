# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  personal_access_token:
    description:
      - A Gandi personal access token (PAT), 40 hexadecimal characters, with the permission
        C(Manage domain name technical configurations) on the organisation and domains to change.
      - Create one in the Gandi admin under Organizations, then Sharing / Personal Access Tokens.
      - The kind of a credential is decided by its shape, not by the option it comes in. A value
        of 40 hexadecimal characters is sent with the C(Bearer) authorization scheme, a value of 24
        characters C([a-z0-9]) with the C(Apikey) scheme; when the option and the shape disagree the
        module warns and uses the shape. A value of neither shape fails before any call.
      - Exactly one of O(personal_access_token) and O(api_key) is needed.
      - If not set, the environment variable E(GANDI_PERSONAL_ACCESS_TOKEN) is used.
    type: str
  api_key:
    description:
      - A Gandi API key, 24 characters C([a-z0-9]). Gandi deprecated API keys; prefer
        O(personal_access_token).
      - See O(personal_access_token) for how the kind is detected.
      - If not set, the environment variable E(GANDI_API_KEY) is used.
    type: str
  api_url:
    description:
      - Base URL of the Gandi LiveDNS v5 API.
    type: str
    default: https://api.gandi.net/v5/livedns
"""
