# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ensure an ACME account: look it up, plan, apply (for ``acme_account``)."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ansible_collections.certops.acme.plugins.module_utils.acme.client import Account, AcmeClient

MAILTO = "mailto:"
_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")

ACTION_NONE = "none"
ACTION_CREATE = "create"
ACTION_UPDATE = "update"
ACTION_DEACTIVATE = "deactivate"


@dataclasses.dataclass(frozen=True)
class AccountRequest:
    state: str = "present"
    contact: tuple[str, ...] | None = None
    terms_agreed: bool = False
    eab_kid: str | None = None
    eab_hmac_key: str | None = None


@dataclasses.dataclass(frozen=True)
class AccountPlan:
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


def normalize_contact(emails: Iterable[str] | None, option: str = "contact") -> tuple[str, ...] | None:
    """``mailto:`` URLs for e-mail addresses (given with or without ``mailto:``)."""
    if emails is None:
        return None
    contact = []
    for email in emails:
        address = email.strip()
        if address.lower().startswith(MAILTO):
            address = address[len(MAILTO):]
        if not _EMAIL.match(address):
            raise InvalidInputError(option, "%r is not an e-mail address (expected 'admin@example.com')" % email)
        url = MAILTO + address
        if url not in contact:
            contact.append(url)
    return tuple(contact)


def validate_eab(request: AccountRequest) -> None:
    if bool(request.eab_kid) != bool(request.eab_hmac_key):
        raise InvalidInputError("eab_kid", "External Account Binding needs both eab_kid and eab_hmac_key")


def account_view(account: Account | None) -> dict[str, Any]:
    """What the module reports about an account (``{}`` when there is none)."""
    if account is None:
        return {}
    return dict(uri=account.uri, status=account.status, contact=list(account.contact))


def plan_account(existing: Account | None, request: AccountRequest) -> AccountPlan:
    """The action that brings ``existing`` (or ``None``) to the request."""
    before = account_view(existing)
    if request.state == "absent":
        if existing is None or existing.status == "deactivated":
            return AccountPlan(ACTION_NONE, before, before)
        return AccountPlan(ACTION_DEACTIVATE, before, dict(before, status="deactivated"))
    if existing is not None and existing.status == "deactivated":
        raise CertopsError("the ACME account of this key is deactivated and cannot be used again; "
                           "use a new account key")
    if existing is None:
        after = dict(uri=None, status="valid", contact=list(request.contact or ()))
        return AccountPlan(ACTION_CREATE, before, after)
    if request.contact is not None and sorted(existing.contact) != sorted(request.contact):
        return AccountPlan(ACTION_UPDATE, before, dict(before, contact=list(request.contact)))
    return AccountPlan(ACTION_NONE, before, before)


def check_can_create(client: AcmeClient, request: AccountRequest) -> None:
    """Fail before the call when the CA's directory says the account cannot be created."""
    if client.meta("external_account_required", False) and not request.eab_kid:
        raise InvalidInputError(
            "eab_kid", "this CA requires External Account Binding: set eab_kid and eab_hmac_key "
                       "(from the CA's account management)")
    terms = client.meta("terms_of_service")
    if terms and not request.terms_agreed:
        raise InvalidInputError("terms_agreed", "the CA's terms of service (%s) must be agreed: read them and set "
                                                "terms_agreed: true" % terms)


def ensure_account(client: AcmeClient, request: AccountRequest, check_mode: bool = False) -> tuple[AccountPlan, Account | None]:
    """Look up the account of the key and apply the plan; returns ``(plan, account)``."""
    validate_eab(request)
    existing = client.find_account()
    plan = plan_account(existing, request)
    if plan.action == ACTION_CREATE:
        check_can_create(client, request)
    if check_mode or plan.action == ACTION_NONE:
        return plan, existing
    if plan.action == ACTION_CREATE:
        account = client.create_account(request.contact or (), request.terms_agreed,
                                        request.eab_kid, request.eab_hmac_key)
    elif plan.action == ACTION_UPDATE:
        if existing is None or request.contact is None:  # not reached: what plan_account updates from
            raise AssertionError("existing is None or request.contact is None")
        account = client.update_contact(existing, request.contact)
    else:
        if existing is None:  # not reached: plan_account deactivates only an account
            raise AssertionError("existing is None")
        account = client.deactivate_account(existing)
    return plan, account
