# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import deploy_plan
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import note as upload_note
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import CdnDomain, RemoteCertificate
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.deploy_plan import BindRequest
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import load_local_certificate
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import NOW

PREFIX = "certops-"
AUTO = BindRequest(auto=True)
UPLOADED = int(NOW.timestamp()) - 7200
POLICY = deploy_plan.PrunePolicy(enabled=True, grace_period=3600, now=int(NOW.timestamp()))


@pytest.fixture(scope="module")
def local(wildcard):
    return load_local_certificate(wildcard["cert_pem"], "certificate", wildcard["chain_pem"],
                                  private_key=wildcard["key_pem"], now=NOW)


@pytest.fixture(scope="module")
def note(local):
    return deploy_plan.Labels(note=local.default_note(PREFIX, UPLOADED), prefix=PREFIX, name=local.first_name,
                              composed=True)


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
    plan = deploy_plan.plan_present(local, note, [], lab_domains, AUTO, POLICY)
    assert plan.upload and plan.changed
    assert plan.to_bind == ("cdn.example.test", "static.example.test")
    assert plan.diff["before"]["domains"] == {"cdn.example.test": None, "static.example.test": None}
    assert plan.diff["after"]["domains"]["cdn.example.test"] == dict(id=None, note=note.note, expire="2026-08-29T00:00:00Z")


def test_same_certificate_is_reused_and_nothing_changes(local, note, lab_domains):
    certs = [_uploaded(local, note, 1000, domain_count=2)]
    domains = _bind(lab_domains, 1000, "cdn.example.test", "static.example.test")
    plan = deploy_plan.plan_present(local, note, certs, domains, AUTO, POLICY)
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
    plan = deploy_plan.plan_present(local, note, certs, domains, AUTO, POLICY)
    assert not plan.upload and plan.to_bind == ("static.example.test",)


def _ours(cert_id, name="example.test", age=7200, sans=("*.example.test",), domain_count=0):
    text = upload_note.compose(PREFIX, name, int(NOW.timestamp()) - age)
    return RemoteCertificate(cert_id, text, sans, 1, domain_count, "ECC")


def test_renewal_predicts_pruning_of_the_superseded_certificate_only(local, note, lab_domains):
    old = _ours(900, domain_count=2)
    foreign = RemoteCertificate(901, "uploaded by hand", ("*.example.test",), 1, 0, "ECC")
    elsewhere = _ours(902, name="x.test", sans=("x.test",), domain_count=1)  # bound beyond the list
    domains = _bind(lab_domains, 900, "cdn.example.test", "static.example.test")
    plan = deploy_plan.plan_present(local, note, [old, foreign, elsewhere], domains, AUTO, POLICY)
    assert plan.upload and plan.to_bind == ("cdn.example.test", "static.example.test")
    assert plan.prune_ids == (900,)
    assert [c["id"] for c in plan.diff["before"]["certificates"]] == [900]
    assert [c["id"] for c in plan.diff["after"]["certificates"]] == [None]


def test_prune_takes_only_unused_uploads_of_this_certificate_past_the_grace_period(local, note, lab_domains):
    current = _uploaded(local, note, 1000, domain_count=1)
    stale = _ours(1001, age=3600)  # left unbound by a killed run, exactly the grace period ago
    fresh = _ours(1002, age=3599)  # a run in progress, between its upload and its bind
    legacy = RemoteCertificate(1003, PREFIX + "example.test-0123456789ab", ("example.test",), 1, 0, "RSA")
    neighbour = _ours(1004, name="shop", sans=tuple(local.sans))  # same DNS names, another certificate
    by_hand = RemoteCertificate(1005, "certops-example.test", tuple(local.sans), 1, 0, "RSA")  # not our form
    by_name = RemoteCertificate(1006, "", tuple(local.sans), 1, 0, "RSA")  # no note at all
    counted = _ours(1007, domain_count=1)  # bound to a domain the list does not show
    bound = _ours(1008)
    domains = _bind(_bind(lab_domains, 1000, "cdn.example.test"), 1008, "img.other.test")
    bindings = {d.name: d.cert_id for d in domains}
    certs = [current, stale, fresh, legacy, neighbour, by_hand, by_name, counted, bound]
    assert deploy_plan.prune_candidates(certs, domains, bindings, 1000, note, POLICY) == (1001, 1003)
    everything = replace(POLICY, grace_period=0)
    assert deploy_plan.prune_candidates(certs, domains, bindings, 1000, note, everything) == (1001, 1002, 1003)
    assert deploy_plan.prune_candidates(certs, domains, bindings, 1000, replace(note, prefix=""), POLICY) == ()
    assert deploy_plan.prune_candidates(certs, domains, bindings, 1000, note, replace(POLICY, enabled=False)) == ()


def test_an_upload_in_service_when_the_run_started_needs_no_grace_period(local, note, lab_domains):
    served = _ours(1001, age=10, domain_count=1)  # bound on cdn until this run rebinds it
    waiting = _ours(1002, age=10)  # unbound: maybe another run's upload, between its upload and its bind
    before = _bind(lab_domains, 1001, "cdn.example.test")
    policy = replace(POLICY, in_service=deploy_plan.in_service([served, waiting], before))
    assert policy.in_service == {1001}
    after = _bind(lab_domains, 1000, "cdn.example.test")
    bindings = {d.name: d.cert_id for d in after}
    served_now_unused = replace(served, domain_count=0)
    assert deploy_plan.prune_candidates([served_now_unused, waiting], after, bindings, 1000, note, policy) == (1001,)
    plan = deploy_plan.plan_present(local, note, [served, waiting], before, AUTO, policy)
    assert plan.prune_ids == (1001,)


def test_a_given_note_still_prunes_our_uploads_of_the_certificate_name(local, lab_domains):
    given = deploy_plan.Labels(note="my note", prefix=PREFIX, name="example.test")
    bindings = {d.name: d.cert_id for d in lab_domains}
    certs = [_ours(1001), RemoteCertificate(1002, "my note", tuple(local.sans), 1, 0, "RSA")]
    assert deploy_plan.prune_candidates(certs, lab_domains, bindings, 1000, given, POLICY) == (1001,)


def test_prune_disabled_prunes_nothing(local, note, lab_domains):
    plan = deploy_plan.plan_present(local, note, [_ours(1002)], lab_domains, AUTO, replace(POLICY, enabled=False))
    assert plan.prune_ids == ()


def test_reuse_by_certificate_name_whatever_the_upload_time(local, note):
    earlier = _uploaded(local, note, 1000, note=upload_note.compose(PREFIX, "example.test", 5, local.ari_cert_id))
    assert deploy_plan.find_reusable([earlier], note, local).id == 1000
    other_cert = upload_note.compose(PREFIX, "example.test", 5, "AAAA.BBBB")  # same names and expiry, other serial
    assert deploy_plan.find_reusable([_uploaded(local, note, note=other_cert)], note, local) is None
    other_name = upload_note.compose(PREFIX, "shop", 5, local.ari_cert_id)
    assert deploy_plan.find_reusable([_uploaded(local, note, note=other_name)], note, local) is None
    # Another certificate with the same names and expiry, noted without an identifier, is not this one.
    unidentified = upload_note.compose(PREFIX, "example.test", 5)
    assert deploy_plan.find_reusable([_uploaded(local, note, note=unidentified)], note, local) is None


def test_certificates_without_identifier_of_the_same_names_and_expiry_are_told_apart(local, note):
    def unidentified(fingerprint):
        return SimpleNamespace(sans=local.sans, expire=local.expire, ari_cert_id=None, fingerprint=fingerprint)

    first, renewed = unidentified("aa" * 32), unidentified("bb" * 32)
    uploaded = _uploaded(local, note, note=upload_note.compose(PREFIX, "example.test", 5, fingerprint=first.fingerprint))
    assert deploy_plan.find_reusable([uploaded], note, first).id == 1000
    assert deploy_plan.find_reusable([uploaded], note, renewed) is None


def test_reuse_of_an_upload_by_an_earlier_version_needs_its_fingerprint(local, note):
    legacy = _uploaded(local, note, note=PREFIX + "example.test-" + local.fingerprint[:12])
    assert deploy_plan.find_reusable([legacy], note, local).id == 1000
    assert deploy_plan.find_reusable([_uploaded(local, note, note=PREFIX + "example.test-0123456789ab")],
                                     note, local) is None


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
    wider = _ours(1005, sans=tuple(local.sans) + ("www.example.test",))
    bindings = {d.name: d.cert_id for d in lab_domains}
    assert deploy_plan.prune_candidates([wider], lab_domains, bindings, 1000, note, POLICY) == (1005,)
