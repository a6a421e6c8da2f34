# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  directory:
    description:
      - The URL of the ACME directory of the CA, for example
        C(https://acme-v02.api.letsencrypt.org/directory) (Let's Encrypt) or
        C(https://acme-staging-v02.api.letsencrypt.org/directory) (its staging environment).
      - Must be C(https://) (RFC 8555 section 6.1); plain C(http://) is accepted only for a loopback
        host (C(localhost), C(127.0.0.0/8), C(::1)), for a test CA on this machine. Any other URL
        fails before any call.
    type: str
    required: true
  account_key_path:
    description:
      - Path of the PEM private key of the ACME account (EC P-256, P-384, P-521 or RSA).
      - Exactly one of O(account_key_path) and O(account_key_content) is needed.
      - See O(account_key_create) to create it when it does not exist.
    type: path
  account_key_content:
    description:
      - The PEM private key of the ACME account, for example from a vault.
      - Exactly one of O(account_key_path) and O(account_key_content) is needed.
    type: str
  account_key_create:
    description:
      - Create O(account_key_path) when it does not exist, as an EC P-256 key with mode C(0600),
        written by atomic rename.
      - In check mode the key is only generated in memory.
    type: bool
    default: false
  directory_document:
    description:
      - The ACME directory of O(directory) as an earlier step read it, for example RV(ignore:directory_document)
        of the previous ACME module of the play, or the JSON that M(ansible.builtin.uri) read from O(directory).
      - When given, the module does not read the directory again. It must hold C(newNonce), C(newAccount) and
        C(newOrder), or the module fails before any call.
      - Give it only within one play; a CA may change its directory between runs.
    type: dict
  nonce:
    description:
      - An unused nonce of the CA (C(Replay-Nonce)), for example RV(ignore:nonce) of the previous ACME module of the
        play. The first signed request uses it instead of asking the CA for a new nonce.
      - A nonce that the CA no longer accepts costs one rejected request, which is sent again with the fresh
        nonce of the rejection (RFC 8555 section 6.5).
    type: str
requirements:
  - acme >= 4.1 (the ACME protocol library, with josepy)
  - cryptography >= 41.0
  - requests >= 2.28
"""
