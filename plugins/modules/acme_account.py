#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: acme_account
short_description: Ensure an ACME account for a key (create, look up, update contacts, EAB, deactivate)
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - Looks up the ACME account of the account key with C(onlyReturnExisting) and, with O(state=present),
    creates it when there is none, or updates its contacts when they differ from O(contact).
  - With O(state=absent), deactivates the account. A deactivated account cannot be used again;
    the CA keeps it.
  - Binds the account to an account at the CA with External Account Binding (O(eab_kid),
    O(eab_hmac_key)) for CAs that require it, such as ZeroSSL or Google Trust Services.
  - A second run with the same options makes only the lookup and reports RV(ignore:changed=false).
extends_documentation_fragment:
  - certops.acme.acme
  - certops.acme.connection
  - certops.acme.attributes
  - certops.acme.attributes.actiongroup_acme
attributes:
  check_mode:
    description: Looks the account up (a read) and reports what it would create, update or deactivate.
    support: full
  diff_mode:
    description: Returns the account (URL, status, contacts) before and after.
    support: full
options:
  state:
    description:
      - V(present) makes sure the account exists (and has O(contact) when given).
      - V(absent) deactivates the account if there is one.
    type: str
    choices: [present, absent]
    default: present
  contact:
    description:
      - E-mail addresses the CA may write to about the account, with or without C(mailto:).
      - When not set, the contacts of an existing account are left as they are.
      - An empty list removes all contacts.
    type: list
    elements: str
  terms_agreed:
    description:
      - Agree to the CA's terms of service (the C(termsOfService) URL of its directory).
      - Needed to create an account at a CA that publishes terms of service.
    type: bool
    default: false
  eab_kid:
    description:
      - The key identifier of the External Account Binding, from the CA's account management.
      - Needed, with O(eab_hmac_key), to create an account at a CA whose directory says
        C(externalAccountRequired).
    type: str
  eab_hmac_key:
    description:
      - The base64url-encoded MAC key of the External Account Binding.
    type: str
seealso:
  - module: certops.acme.acme_order
  - module: certops.acme.acme_order_finalize
  - name: RFC 8555, section 7.3 (account management)
    description: How ACME accounts are created, found, updated and deactivated.
    link: https://www.rfc-editor.org/rfc/rfc8555#section-7.3
"""

EXAMPLES = r"""
- name: Make sure the account exists (creating its key on the first run)
  certops.acme.acme_account:
    directory: https://acme-v02.api.letsencrypt.org/directory
    account_key_path: /etc/certops/acme-account.key
    account_key_create: true
    contact:
      - hostmaster@example.com
    terms_agreed: true
  delegate_to: localhost

- name: Account at a CA that requires External Account Binding
  certops.acme.acme_account:
    directory: https://acme.zerossl.com/v2/DV90
    account_key_content: "{{ vault_acme_account_key }}"
    terms_agreed: true
    eab_kid: "{{ vault_eab_kid }}"
    eab_hmac_key: "{{ vault_eab_hmac_key }}"

- name: Deactivate the account
  certops.acme.acme_account:
    directory: https://acme-v02.api.letsencrypt.org/directory
    account_key_path: /etc/certops/acme-account.key
    state: absent
"""

RETURN = r"""
account_uri:
  description: The URL of the account (its C(kid)); V(null) when there is none, or in check mode before creation.
  returned: always
  type: str
  sample: https://acme-v02.api.letsencrypt.org/acme/acct/123456789
account:
  description: The account after the run (in check mode, as it would be); empty when there is none.
  returned: always
  type: dict
  contains:
    uri:
      description: The URL of the account.
      type: str
      sample: https://acme-v02.api.letsencrypt.org/acme/acct/123456789
    status:
      description: The status of the account, V(valid) or V(deactivated).
      type: str
      sample: valid
    contact:
      description: The contact URLs of the account.
      type: list
      elements: str
      sample: ["mailto:hostmaster@example.com"]
action:
  description: What the run did (or in check mode would do).
  returned: always
  type: str
  sample: none
  choices: [none, create, update, deactivate]
account_key_created:
  description: Whether O(account_key_path) was (or in check mode would be) created.
  returned: always
  type: bool
  sample: false
directory_document:
  description: The ACME directory the module read or was given, for the O(directory_document) of the next ACME module.
  returned: always
  type: dict
  sample: {"newNonce": "https://acme-v02.api.letsencrypt.org/acme/new-nonce"}
nonce:
  description: An unused nonce from the CA's last answer, for the O(nonce) of the next ACME module; V(null) when none.
  returned: always
  type: str
  sample: oFvnlFP1wIhRlYS2jTaXbA
"""

from ansible_collections.certops.acme.plugins.module_utils.acme import account as accounts
from ansible_collections.certops.acme.plugins.module_utils.acme import common
from ansible_collections.certops.acme.plugins.module_utils.acme.client import ACME_IMPORT_ERROR, HAS_ACME
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module

SPEC = common.ACME + ArgumentSpec(
    dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        contact=dict(type="list", elements="str"),
        terms_agreed=dict(type="bool", default=False),
        eab_kid=dict(type="str"),
        eab_hmac_key=dict(type="str", no_log=True),
    ),
    required_together=[("eab_kid", "eab_hmac_key")],
)


def run(params, context):
    request = accounts.AccountRequest(
        state=params["state"], contact=accounts.normalize_contact(params["contact"]),
        terms_agreed=params["terms_agreed"], eab_kid=params["eab_kid"], eab_hmac_key=params["eab_hmac_key"])
    accounts.validate_eab(request)
    client, key = common.open_client(params, context.check_mode)
    plan, account = accounts.ensure_account(client, request, context.check_mode)
    after = plan.after if context.check_mode else accounts.account_view(account)
    result = dict(
        changed=key.changed or plan.action != accounts.ACTION_NONE, action=plan.action,
        account_uri=after.get("uri"), account=after, account_key_created=key.generated,
        diff=dict(before=plan.before, after=after))
    result.update(common.carried(client))
    return result


LIBRARIES = (Library("acme", HAS_ACME, ACME_IMPORT_ERROR),)


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
