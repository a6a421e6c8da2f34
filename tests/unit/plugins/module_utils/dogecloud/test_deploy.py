# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import random
from dataclasses import replace

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import deploy
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DogeCloudApiError, RemoteCertificate
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.deploy_plan import BindRequest
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import load_local_certificate
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, FailedAfterChange
from ansible_collections.certops.acme.plugins.module_utils.http_client import TransientFaultError
from ansible_collections.certops.acme.plugins.module_utils.retry import Retry, RetryPolicy
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import NOW
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock

PREFIX = "certops-"
LATER = NOW + datetime.timedelta(hours=2)
WRITES = ("upload", "bind", "delete")


class RecordingClock(FakeClock):
    """A fake clock that records each backoff sleep among the calls."""

    def __init__(self, calls):
        super().__init__()
        self.calls = calls

    def sleep(self, seconds):
        self.calls.append("backoff")
        super().sleep(seconds)


class FakeCdn:
    """An in-memory DogeCloud account with the client's interface; records every call."""

    max_attempts = 3

    def __init__(self, domains):
        self.certs = {}
        self.domains = {d.name: d for d in domains}
        self.calls = []
        self.next_id = 1000
        self.failures = {}  # call name -> exceptions to raise first
        self.ignored_binds = set()  # domain names whose binding silently does not take
        self.errors_after_bind = []  # errors answered although the binding took effect

    def _maybe_fail(self, name):
        pending = self.failures.get(name)
        if pending:
            raise pending.pop(0)

    def list_certificates(self):
        self.calls.append("list_certificates")
        self._maybe_fail("list_certificates")
        return [replace(c, domain_count=sum(d.cert_id == c.id for d in self.domains.values()))
                for c in self.certs.values()]

    def list_domains(self):
        self.calls.append("list_domains")
        return list(self.domains.values())

    def store(self, note, local):
        cert = RemoteCertificate(self.next_id, note, tuple(local.sans), local.expire, 0, "ECC")
        self.certs[cert.id] = cert
        self.next_id += 1
        return cert.id

    def upload_certificate(self, note, chain_pem, key_pem):
        self.calls.append("upload")
        local = load_local_certificate(chain_pem, "cert", private_key=key_pem)
        cert_id = self.store(note, local)
        self._maybe_fail("upload")  # a failure after storing: the answer was lost
        return cert_id

    def bind(self, cert_id, name):
        self.calls.append("bind")
        self._maybe_fail("bind")
        if cert_id not in self.certs:
            raise DogeCloudApiError("DogeCloud refused POST /cdn/cert/bind.json: code 404, 证书不存在",
                                    code=404, msg="证书不存在")
        if name not in self.ignored_binds:
            self.domains[name] = replace(self.domains[name], cert_id=cert_id)
        if self.errors_after_bind:
            raise self.errors_after_bind.pop(0)

    def delete_certificate(self, cert_id):
        self.calls.append("delete")
        del self.certs[cert_id]

    def new_retry(self):
        return Retry(RetryPolicy(max_attempts=self.max_attempts), RecordingClock(self.calls), random.Random(0))

    def writes(self):
        return [call for call in self.calls if call in WRITES]


def _local(cert):
    return load_local_certificate(cert["cert_pem"], "certificate", cert["chain_pem"], private_key=cert["key_pem"],
                                  now=NOW)


def _request(local, bind=BindRequest(auto=True), prune=True, now=NOW, name=None):
    return deploy.DeployRequest(local=local, labels=deploy.labels_for(local, PREFIX, name=name, now=now), bind=bind,
                                prune=prune)


@pytest.fixture
def cdn(lab_domains):
    return FakeCdn(lab_domains)


def test_first_run_uploads_binds_confirms_then_second_run_only_reads(cdn, wildcard):
    request = _request(_local(wildcard))
    first = deploy.deploy(cdn, request, now=NOW)
    assert first["changed"] and first["uploaded"] and first["certificate_id"] == 1000
    assert first["bound_domains"] == ["cdn.example.test", "static.example.test"]
    assert first["skipped_domains"] == ["old.example.test"]
    assert cdn.calls == ["list_certificates", "list_domains", "upload", "bind", "bind", "list_domains",
                         "list_certificates"]
    cdn.calls.clear()
    second = deploy.deploy(cdn, request, now=NOW)
    assert not second["changed"] and not second["uploaded"] and second["certificate_id"] == 1000
    assert second["rebound_domains"] == [] and second["pruned_ids"] == []
    assert cdn.calls == ["list_certificates", "list_domains"]


def test_check_mode_writes_nothing(cdn, wildcard):
    result = deploy.deploy(cdn, _request(_local(wildcard)), check_mode=True, now=NOW)
    assert result["changed"] and result["certificate_id"] is None
    assert cdn.writes() == []


def test_renewal_rebinds_every_domain_then_prunes_the_old_upload_only(cdn, issuer, wildcard):
    deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    manual = cdn.store("uploaded by hand", _local(wildcard))
    renewed = _local(issuer.leaf(["*.example.test", "example.test"], days=90, serial=0x5678))
    cdn.calls.clear()
    result = deploy.deploy(cdn, _request(renewed), now=NOW)  # seconds later: the superseded one was in service
    assert result["uploaded"] and result["rebound_domains"] == ["cdn.example.test", "static.example.test"]
    assert result["pruned_ids"] == [1000]
    assert sorted(cdn.certs) == [manual, result["certificate_id"]]
    assert cdn.calls.index("delete") > cdn.calls.index("list_domains", 2)  # pruned after the confirmation
    new_view = result["diff"]["after"]["domains"]["cdn.example.test"]
    assert new_view["id"] == result["certificate_id"]
    assert result["diff"]["before"]["domains"]["cdn.example.test"]["id"] == 1000
    assert [c["id"] for c in result["diff"]["after"]["certificates"]] == [result["certificate_id"]]


def test_binding_that_does_not_take_fails_and_prunes_nothing(cdn, issuer, wildcard):
    deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    cdn.ignored_binds.add("static.example.test")
    renewed = _local(issuer.leaf(["*.example.test"], days=90, serial=0x9999))
    with pytest.raises(FailedAfterChange, match="static.example.test still on certificate 1000") as raised:
        deploy.deploy(cdn, _request(renewed), now=NOW)
    assert raised.value.details["unconfirmed_domains"] == ["static.example.test"]
    assert raised.value.result["changed"] and raised.value.result["certificate_id"] == 1001
    assert "delete" not in cdn.calls and 1000 in cdn.certs


def test_bind_failure_leaves_the_previous_certificate_bound(cdn, issuer, wildcard):
    deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    cdn.failures["bind"] = [TransientFaultError("POST /cdn/cert/bind.json kept failing")]
    renewed = _local(issuer.leaf(["*.example.test"], days=90, serial=0x7777))
    with pytest.raises(FailedAfterChange, match="kept failing") as raised:
        deploy.deploy(cdn, _request(renewed), now=NOW)
    assert cdn.domains["cdn.example.test"].cert_id == 1000
    assert "delete" not in cdn.calls
    # The upload happened: the failure says so, with the new id, so a rerun or a person can find it.
    assert raised.value.result["changed"] is True and raised.value.result["uploaded"] is True
    assert raised.value.result["certificate_id"] == 1001 and raised.value.result["rebound_domains"] == []
    assert isinstance(raised.value.__cause__, TransientFaultError)


def test_failure_before_any_write_reports_no_change(cdn, wildcard):
    cdn.failures["list_certificates"] = [TransientFaultError("HTTP 502")]
    with pytest.raises(TransientFaultError):
        deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)


def test_bind_error_whose_binding_took_effect_is_a_success_with_a_warning(cdn, wildcard):
    refusal = DogeCloudApiError("DogeCloud refused POST /cdn/cert/bind.json: code 500, 绑定失败", code=500)
    cdn.errors_after_bind = [refusal]
    result = deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    assert result["changed"] and result["rebound_domains"] == ["cdn.example.test", "static.example.test"]
    assert len(result["warnings"]) == 1 and "took effect" in result["warnings"][0]
    assert "code 500, 绑定失败" in result["warnings"][0]
    assert cdn.calls == ["list_certificates", "list_domains", "upload", "bind", "list_domains", "bind",
                         "list_domains", "list_certificates"]


def test_bind_error_whose_binding_did_not_take_fails(cdn, wildcard):
    cdn.failures["bind"] = [DogeCloudApiError("DogeCloud refused POST /cdn/cert/bind.json: code 400, 域名错误",
                                              code=400)]
    with pytest.raises(FailedAfterChange, match="域名错误") as raised:
        deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    assert raised.value.result["certificate_id"] == 1000 and raised.value.result["changed"]
    assert cdn.calls[-2:] == ["bind", "list_domains"]


def test_fresh_upload_not_found_at_bind_is_uploaded_again_once(cdn, wildcard):
    original_upload = cdn.upload_certificate

    def upload_then_lose_it(note, chain_pem, key_pem):
        cert_id = original_upload(note, chain_pem, key_pem)
        if cert_id == 1000:
            del cdn.certs[cert_id]  # listed nowhere when the bind comes
        return cert_id

    cdn.upload_certificate = upload_then_lose_it
    result = deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    assert result["certificate_id"] == 1001 and cdn.calls.count("upload") == 2
    assert cdn.domains["cdn.example.test"].cert_id == 1001 and cdn.domains["static.example.test"].cert_id == 1001
    assert "uploaded it again as certificate 1001" in result["warnings"][0]


def test_not_found_twice_fails_after_one_new_upload(cdn, wildcard):
    original_upload = cdn.upload_certificate

    def upload_then_lose_it(note, chain_pem, key_pem):
        cert_id = original_upload(note, chain_pem, key_pem)
        del cdn.certs[cert_id]
        return cert_id

    cdn.upload_certificate = upload_then_lose_it
    with pytest.raises(FailedAfterChange, match="证书不存在") as raised:
        deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    assert cdn.calls.count("upload") == 2 and raised.value.result["certificate_id"] == 1001


def test_not_found_for_a_reused_upload_is_not_uploaded_again(cdn, wildcard):
    local = _local(wildcard)
    cdn.store(local.default_note(PREFIX, int(NOW.timestamp())), local)
    real_bind = cdn.bind

    def bind_lost(cert_id, name):
        cdn.certs.pop(cert_id, None)
        real_bind(cert_id, name)

    cdn.bind = bind_lost
    with pytest.raises(DogeCloudApiError, match="证书不存在"):
        deploy.deploy(cdn, _request(local), now=NOW)
    assert "upload" not in cdn.calls


def test_neighbours_sharing_names_never_delete_each_other(cdn, issuer):
    """Two certificates (names "site" and "shop") for the same DNS names, deployed one after the other."""
    site = _local(issuer.leaf(["cdn.example.test", "static.example.test"], serial=0x100))
    shop = _local(issuer.leaf(["cdn.example.test"], serial=0x200))
    site_id = deploy.deploy(cdn, _request(site, name="site"), now=NOW)["certificate_id"]
    # Uploads of another "shop" certificate: a stale one left unbound by a killed run, and a fresh one of a
    # run in progress (not bound yet); and one uploaded by hand.
    other_shop = _local(issuer.leaf(["cdn.example.test"], days=60, serial=0x199))
    stale = cdn.store(other_shop.default_note(PREFIX, int(LATER.timestamp()) - 3601, "shop"), other_shop)
    fresh = cdn.store(other_shop.default_note(PREFIX, int(LATER.timestamp()) - 60, "shop"), other_shop)
    by_hand = cdn.store("shop by hand", other_shop)
    result = deploy.deploy(cdn, _request(shop, name="shop", bind=BindRequest(domains=("cdn.example.test",)),
                                         now=LATER), now=LATER)
    assert result["pruned_ids"] == [stale]
    assert site_id in cdn.certs and fresh in cdn.certs and by_hand in cdn.certs
    assert cdn.domains["static.example.test"].cert_id == site_id
    # "site" again, later: its old upload stays (still bound on static), "shop"'s uploads are not its own.
    cdn.calls.clear()
    again = deploy.deploy(cdn, _request(site, name="site", now=LATER), now=LATER)
    assert again["pruned_ids"] == [] and "delete" not in cdn.calls
    assert {result["certificate_id"], fresh, by_hand, site_id} <= set(cdn.certs)


def test_upload_whose_answer_was_lost_is_found_by_note_not_uploaded_twice(cdn, wildcard):
    cdn.failures["upload"] = [TransientFaultError("envelope code 500")]
    result = deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    assert result["certificate_id"] == 1000 and len(cdn.certs) == 1
    assert cdn.calls.count("upload") == 1


def test_upload_not_stored_is_sent_again_after_a_backoff(cdn, wildcard):
    refusals = [TransientFaultError("HTTP 502")]

    def upload_refused_once(note, chain_pem, key_pem):
        cdn.calls.append("upload")
        if refusals:
            raise refusals.pop(0)  # refused before anything was stored
        return cdn.store(note, load_local_certificate(chain_pem, "cert", private_key=key_pem))

    cdn.upload_certificate = upload_refused_once
    result = deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    assert result["certificate_id"] == 1000 and len(cdn.certs) == 1
    assert cdn.calls[:6] == ["list_certificates", "list_domains", "upload", "list_certificates", "backoff", "upload"]


def test_upload_that_keeps_failing_gives_up_after_the_bounded_attempts(cdn, wildcard):
    def upload_always_refused(note, chain_pem, key_pem):
        cdn.calls.append("upload")
        raise TransientFaultError("HTTP 502")

    cdn.upload_certificate = upload_always_refused
    with pytest.raises(TransientFaultError):
        deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    assert cdn.calls.count("upload") == FakeCdn.max_attempts and "bind" not in cdn.calls


def test_explicit_domains_are_checked_before_any_write(cdn, wildcard):
    with pytest.raises(CertopsError, match="does not cover img.other.test"):
        deploy.deploy(cdn, _request(_local(wildcard), bind=BindRequest(domains=("img.other.test",))), now=NOW)
    assert cdn.writes() == []


def test_absent_deletes_when_unbound_and_refuses_when_bound(cdn, wildcard):
    local = _local(wildcard)
    deploy.deploy(cdn, _request(local), now=NOW)
    with pytest.raises(CertopsError, match="still bound to cdn.example.test, static.example.test"):
        deploy.remove(cdn, deploy.labels_for(local, PREFIX, now=NOW), local)
    assert cdn.writes().count("delete") == 0
    for name in ("cdn.example.test", "static.example.test"):
        cdn.domains[name] = replace(cdn.domains[name], cert_id=0)
    result = deploy.remove(cdn, deploy.labels_for(local, PREFIX, now=NOW), local)
    assert result["changed"] and result["deleted_ids"] == [1000] and cdn.certs == {}
    assert not deploy.remove(cdn, deploy.labels_for(local, PREFIX, now=NOW), local)["changed"]
