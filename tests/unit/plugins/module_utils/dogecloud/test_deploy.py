# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from dataclasses import replace

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import deploy
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DogeCloudApiError, RemoteCertificate
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.deploy_plan import BindRequest
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import load_local_certificate
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError
from ansible_collections.certops.acme.plugins.module_utils.http_client import TransientFaultError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import NOW

PREFIX = "certops-"
WRITES = ("upload", "bind", "delete")


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
        if name not in self.ignored_binds:
            self.domains[name] = replace(self.domains[name], cert_id=cert_id)

    def delete_certificate(self, cert_id):
        self.calls.append("delete")
        del self.certs[cert_id]

    def retry_deadline(self):
        return "deadline"

    def backoff(self, attempt, deadline):
        assert deadline == "deadline"
        self.calls.append("backoff")
        return True

    def writes(self):
        return [call for call in self.calls if call in WRITES]


def _local(cert):
    return load_local_certificate(cert["cert_pem"], "certificate", cert["chain_pem"], private_key=cert["key_pem"],
                                  now=NOW)


def _request(local, bind=BindRequest(auto=True), prune=True):
    return deploy.DeployRequest(local=local, labels=deploy.labels_for(local, PREFIX, now=NOW), bind=bind,
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
    result = deploy.deploy(cdn, _request(renewed), now=NOW)
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
    with pytest.raises(DogeCloudApiError, match="static.example.test still on certificate 1000") as raised:
        deploy.deploy(cdn, _request(renewed), now=NOW)
    assert raised.value.details["unconfirmed_domains"] == ["static.example.test"]
    assert "delete" not in cdn.calls and 1000 in cdn.certs


def test_bind_failure_leaves_the_previous_certificate_bound(cdn, issuer, wildcard):
    deploy.deploy(cdn, _request(_local(wildcard)), now=NOW)
    cdn.failures["bind"] = [TransientFaultError("POST /cdn/cert/bind.json kept failing")]
    renewed = _local(issuer.leaf(["*.example.test"], days=90, serial=0x7777))
    with pytest.raises(TransientFaultError):
        deploy.deploy(cdn, _request(renewed), now=NOW)
    assert cdn.domains["cdn.example.test"].cert_id == 1000
    assert "delete" not in cdn.calls


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
