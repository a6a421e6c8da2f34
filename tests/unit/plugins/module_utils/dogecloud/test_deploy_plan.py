# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from dataclasses import replace

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import deploy_plan
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import CdnDomain, RemoteCertificate
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.deploy_plan import BindRequest
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import load_local_certificate
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import NOW

PREFIX = "certops-"
AUTO = BindRequest(auto=True)
UPLOADED = int(NOW.timestamp()) - 7200


@pytest.fixture(scope="module")
def local(wildcard):
    return load_local_certificate(wildcard["cert_pem"], "certificate", wildcard["chain_pem"],
                                  private_key=wildcard["key_pem"], now=NOW)


@pytest.fixture(scope="module")
def note(local):
    return deploy_plan.Labels(note=local.default_note(PREFIX, UPLOADED), prefix=PREFIX, name=local.first_name)


def _uploaded(local, labels, cert_id=1000, domain_count=0, **changes):
    cert = RemoteCertificate(id=cert_id, note=labels.note, sans=tuple(local.sans), expire=local.expire,
                             domain_count=domain_count, key_type="ECC")
    return replace(cert, **changes)


def _bind(domains, cert_id, *names):
    return [replace(d, cert_id=cert_id) if d.name in names else d for d in domains]


def test_auto_binds_online_domains_covered_by_the_wildcard(local, lab_domains):
    targets, skipped = deploy_plan.select_targets(local.sans, lab_domains, AUTO)
    assert targets == ("cdn.example.test", "static.example.test")
    assert skipped == ("old.example.test",)


def test_wildcard_covers_one_label_only():
    sans = ("*.example.test",)
    assert deploy_plan.select_targets(sans, [], AUTO) == ((), ())
    deep = [CdnDomain(1, "a.b.example.test", "online", 0), CdnDomain(2, "example.test", "online", 0)]
    assert deploy_plan.select_targets(sans, deep, AUTO) == ((), ())


def test_explicit_unknown_domain_fails_naming_the_option(local, lab_domains):
    with pytest.raises(InvalidInputError, match="^domains: no CDN domain named nope.example.test"):
        deploy_plan.select_targets(local.sans, lab_domains, BindRequest(domains=("nope.example.test",)))


def test_explicit_uncovered_domain_fails(local, lab_domains):
    with pytest.raises(InvalidInputError, match="does not cover img.other.test"):
        deploy_plan.select_targets(local.sans, lab_domains, BindRequest(domains=("img.other.test",)))


def test_explicit_domains_are_normalised_and_deduplicated(local, lab_domains):
    request = BindRequest(domains=("CDN.example.test.", "cdn.example.test", "old.example.test"))
    assert deploy_plan.select_targets(local.sans, lab_domains, request) == (
        ("cdn.example.test", "old.example.test"), ())


def test_first_deployment_uploads_and_binds_everything(local, note, lab_domains):
    plan = deploy_plan.plan_present(local, note, [], lab_domains, AUTO, True)
    assert plan.upload and plan.changed
    assert plan.to_bind == ("cdn.example.test", "static.example.test")
    assert plan.diff["before"]["domains"] == {"cdn.example.test": None, "static.example.test": None}
    assert plan.diff["after"]["domains"]["cdn.example.test"] == dict(id=None, note=note.note, expire="2026-08-29T00:00:00Z")


def test_same_certificate_is_reused_and_nothing_changes(local, note, lab_domains):
    certs = [_uploaded(local, note, 1000, domain_count=2)]
    domains = _bind(lab_domains, 1000, "cdn.example.test", "static.example.test")
    plan = deploy_plan.plan_present(local, note, certs, domains, AUTO, True)
    assert not plan.changed and plan.reuse.id == 1000 and plan.to_bind == ()
    assert plan.diff["before"] == plan.diff["after"]


def test_reuse_needs_note_sans_and_expiry_to_match(local, note):
    assert deploy_plan.find_reusable([_uploaded(local, note, note="certops-other")], note, local) is None
    assert deploy_plan.find_reusable([_uploaded(local, note, sans=("example.test",))], note, local) is None
    assert deploy_plan.find_reusable([_uploaded(local, note, expire=local.expire - 1)], note, local) is None
    twins = [_uploaded(local, note, 1003), _uploaded(local, note, 1001), _uploaded(local, note, 1002, domain_count=1)]
    assert deploy_plan.find_reusable(twins, note, local).id == 1002


def test_bind_only_the_domains_that_differ(local, note, lab_domains):
    certs = [_uploaded(local, note, 1000, domain_count=1)]
    domains = _bind(lab_domains, 1000, "cdn.example.test")
    plan = deploy_plan.plan_present(local, note, certs, domains, AUTO, True)
    assert not plan.upload and plan.to_bind == ("static.example.test",)


def test_renewal_predicts_pruning_of_the_superseded_certificate_only(local, note, lab_domains):
    old = RemoteCertificate(900, "certops-example.test-000000000000", ("*.example.test",), 1, 2, "ECC")
    foreign = RemoteCertificate(901, "uploaded by hand", ("*.example.test",), 1, 0, "ECC")
    elsewhere = RemoteCertificate(902, "certops-elsewhere", ("x.test",), 1, 1, "ECC")  # bound beyond the list
    domains = _bind(lab_domains, 900, "cdn.example.test", "static.example.test")
    plan = deploy_plan.plan_present(local, note, [old, foreign, elsewhere], domains, AUTO, True)
    assert plan.upload and plan.to_bind == ("cdn.example.test", "static.example.test")
    assert plan.prune_ids == (900,)
    assert [c["id"] for c in plan.diff["before"]["certificates"]] == [900, 902]
    assert [c["id"] for c in plan.diff["after"]["certificates"]] == [902, None]


def test_prune_keeps_bound_current_and_foreign_certificates(local, note, lab_domains):
    current = _uploaded(local, note, 1000, domain_count=1)
    spare = RemoteCertificate(1001, "certops-spare", ("img.other.test",), 1, 1, "RSA")
    superseded = RemoteCertificate(1002, "certops-old", tuple(local.sans), 1, 0, "RSA")
    foreign = RemoteCertificate(1003, "mine", tuple(local.sans), 1, 0, "RSA")
    other_names = RemoteCertificate(1004, "certops-parallel", ("img.other.test",), 1, 0, "RSA")
    domains = _bind(_bind(lab_domains, 1000, "cdn.example.test"), 1001, "img.other.test")
    bindings = {d.name: d.cert_id for d in domains}
    kept = deploy_plan.prune_candidates([current, spare, superseded, foreign, other_names], domains, bindings, 1000,
                                        PREFIX, local.sans)
    assert kept == (1002,)
    assert deploy_plan.prune_candidates([superseded], domains, bindings, 1000, "", local.sans) == ()


def test_prune_disabled_prunes_nothing(local, note, lab_domains):
    unused = RemoteCertificate(1002, "certops-unused", ("img.other.test",), 1, 0, "RSA")
    plan = deploy_plan.plan_present(local, note, [unused], lab_domains, AUTO, False)
    assert plan.prune_ids == ()


def test_absent_deletes_unbound_uploads_of_the_certificate(local, note, lab_domains):
    certs = [_uploaded(local, note, 1000), _uploaded(local, note, 1001, note="other")]
    plan = deploy_plan.plan_absent(certs, lab_domains, note, local)
    assert plan.delete_ids == (1000,) and plan.changed
    assert plan.diff["after"] == {"certificates": []}
    assert deploy_plan.plan_absent(certs, lab_domains, deploy_plan.Labels("other", PREFIX)).delete_ids == (1001,)
    assert not deploy_plan.plan_absent([], lab_domains, note, local).changed


def test_absent_refuses_a_bound_certificate_naming_the_domains(local, note, lab_domains):
    certs = [_uploaded(local, note, 1000, domain_count=2)]
    domains = _bind(lab_domains, 1000, "cdn.example.test", "static.example.test")
    with pytest.raises(CertopsError, match="still bound to cdn.example.test, static.example.test"):
        deploy_plan.plan_absent(certs, domains, note, local)


def test_a_certificate_for_fewer_names_still_supersedes_the_old_one(local, note, lab_domains):
    wider = RemoteCertificate(1005, "certops-wider", tuple(local.sans) + ("www.example.test",), 1, 0, "RSA")
    bindings = {d.name: d.cert_id for d in lab_domains}
    assert deploy_plan.prune_candidates([wider], lab_domains, bindings, 1000, PREFIX, local.sans) == (1005,)
