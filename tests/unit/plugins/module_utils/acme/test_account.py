# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.acme import account as accounts
from ansible_collections.certops.acme.plugins.module_utils.acme.client import Account
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import (
    ACCOUNT_URL, NEW_ACCOUNT, acme_client, existing_account, jws_payload, problem, recorded_directory)

EXISTING = Account(ACCOUNT_URL, "valid", ("mailto:a@example.test",))


def test_contacts_become_mailto_urls_once():
    assert accounts.normalize_contact(["a@example.test", "mailto:b@example.test", " a@example.test "]) == (
        "mailto:a@example.test", "mailto:b@example.test")
    assert accounts.normalize_contact([]) == ()
    assert accounts.normalize_contact(None) is None


@pytest.mark.parametrize("bad", ["nobody", "a@b", "a b@example.test", "a@example.test,b@example.test"])
def test_bad_contacts_fail_naming_them(bad):
    with pytest.raises(InvalidInputError, match="contact: %r is not an e-mail address" % bad):
        accounts.normalize_contact([bad])


@pytest.mark.parametrize("existing, request_, action", [
    (None, accounts.AccountRequest(), accounts.ACTION_CREATE),
    (EXISTING, accounts.AccountRequest(), accounts.ACTION_NONE),
    (EXISTING, accounts.AccountRequest(contact=("mailto:a@example.test",)), accounts.ACTION_NONE),
    (EXISTING, accounts.AccountRequest(contact=("mailto:b@example.test",)), accounts.ACTION_UPDATE),
    (EXISTING, accounts.AccountRequest(contact=()), accounts.ACTION_UPDATE),
    (EXISTING, accounts.AccountRequest(state="absent"), accounts.ACTION_DEACTIVATE),
    (None, accounts.AccountRequest(state="absent"), accounts.ACTION_NONE),
    (Account(None, "deactivated", ()), accounts.AccountRequest(state="absent"), accounts.ACTION_NONE),
])
def test_plan(existing, request_, action):
    assert accounts.plan_account(existing, request_).action == action


def test_plan_diff_shows_contacts():
    plan = accounts.plan_account(EXISTING, accounts.AccountRequest(contact=("mailto:b@example.test",)))
    assert plan.before == dict(uri=ACCOUNT_URL, status="valid", contact=["mailto:a@example.test"])
    assert plan.after == dict(uri=ACCOUNT_URL, status="valid", contact=["mailto:b@example.test"])


def test_a_deactivated_account_cannot_be_present():
    with pytest.raises(CertopsError, match="deactivated and cannot be used again"):
        accounts.plan_account(Account(None, "deactivated", ()), accounts.AccountRequest())


def test_eab_needs_both_parts():
    with pytest.raises(InvalidInputError, match="needs both eab_kid and eab_hmac_key"):
        accounts.validate_eab(accounts.AccountRequest(eab_kid="kid"))


def test_eab_required_by_the_directory_fails_before_creating(server, account_key):
    client = acme_client(server, account_key, directory=recorded_directory(eab_required=True))
    server.route("POST", NEW_ACCOUNT, (400, problem("accountDoesNotExist", "no account")))
    with pytest.raises(InvalidInputError, match="this CA requires External Account Binding"):
        accounts.ensure_account(client, accounts.AccountRequest(terms_agreed=True))
    assert len(server.requests_to(NEW_ACCOUNT)) == 1  # the lookup only


def test_terms_must_be_agreed_before_creating(server, account_key):
    client = acme_client(server, account_key)
    server.route("POST", NEW_ACCOUNT, (400, problem("accountDoesNotExist", "no account")))
    with pytest.raises(InvalidInputError, match="terms_agreed: the CA's terms of service .https://ca.test/terms.pdf."):
        accounts.ensure_account(client, accounts.AccountRequest())


def test_check_mode_only_looks_up(server, account_key):
    client = acme_client(server, account_key)
    existing_account(server)
    plan, account = accounts.ensure_account(client, accounts.AccountRequest(state="absent"), check_mode=True)
    assert plan.action == accounts.ACTION_DEACTIVATE
    assert account.uri == ACCOUNT_URL
    assert len(server.requests_to(NEW_ACCOUNT)) == 1
    assert not server.requests_to(ACCOUNT_URL)


def test_second_run_makes_only_the_lookup(server, account_key):
    client = acme_client(server, account_key)
    existing_account(server)
    plan, _account = accounts.ensure_account(client, accounts.AccountRequest(
        contact=("mailto:admin@example.test",), terms_agreed=True))
    assert plan.action == accounts.ACTION_NONE
    assert [sent["method"] for sent in server.sent] == ["GET", "HEAD", "POST"]
    assert jws_payload(server.sent[-1]) == {"onlyReturnExisting": True}
