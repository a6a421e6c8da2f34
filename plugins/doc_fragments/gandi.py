# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  personal_access_token:
    description:
      - A Gandi personal access token (PAT), usually 40 hexadecimal characters, with the permissions
        C(See and renew domain names) and C(Manage domain name technical configurations) on the
        organisation and domains to change.
      - Create one in the Gandi admin under Organizations, then Sharing / Personal Access Tokens.
      - When the shape of a value is clear, it decides the kind of the credential, not the option
        it comes in. A value of 40 hexadecimal characters is sent with the C(Bearer) authorization
        scheme, a value of 24 characters C([a-z0-9]) with the C(Apikey) scheme; when the option and
        the shape disagree the module warns and uses the shape.
      - Gandi does not document the shapes, so a value of any other shape (for instance
        C(pat_...), or a mixed-case key) is sent as the kind its option names (C(Bearer) for
        O(personal_access_token), C(Apikey) for O(api_key)). If Gandi refuses it (HTTP 401 or 403),
        the error says what was detected and sent and what to check, never the value.
      - A value with spaces or control characters inside fails before any call.
      - Exactly one of O(personal_access_token) and O(api_key) is needed.
      - If not set, the environment variable E(GANDI_PERSONAL_ACCESS_TOKEN) is used.
    type: str
  api_key:
    description:
      - A Gandi API key, usually 24 characters C([a-z0-9]). Gandi deprecated API keys; prefer
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
