# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from dataclasses import replace

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import facts
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import RemoteCertificate
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import NOW

DAY = 86400
WILDCARD = RemoteCertificate(1000, "certops-example.test;t=1764630000;ari=aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE",
                             ("*.example.test",),
                             int(NOW.timestamp()) + 30 * DAY + 5, 2, "ECC")
OTHER = RemoteCertificate(1001, "by hand", ("img.other.test",), int(NOW.timestamp()) - DAY, 0, "RSA")


@pytest.fixture
def domains(lab_domains):
    bound = {"cdn.example.test": 1000, "static.example.test": 1000}
    return [replace(d, cert_id=bound.get(d.name, 0)) for d in lab_domains]


def test_certificate_infos(domains):
    infos = facts.certificate_infos([OTHER, WILDCARD], domains, NOW)
    assert [info["id"] for info in infos] == [1000, 1001]
    assert infos[0] == dict(id=1000, note=WILDCARD.note, sans=["*.example.test"], expire="2026-07-01T00:00:05Z",
                            expire_timestamp=WILDCARD.expire, days_left=30, expired=False, key_type="ECC",
                            key_family="ec", ari_cert_id="aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", domain_count=2,
                            domains=["cdn.example.test", "static.example.test"])
    assert infos[1]["expired"] and infos[1]["days_left"] == -1
    assert infos[1]["ari_cert_id"] is None  # uploaded otherwise: the note carries no identifier


def test_certificate_filters(domains):
    certs = [WILDCARD, OTHER]
    assert [i["id"] for i in facts.certificate_infos(certs, domains, NOW, note_prefix="certops-")] == [1000]
    assert [i["id"] for i in facts.certificate_infos(certs, domains, NOW, ids=[1001])] == [1001]
    assert [i["id"] for i in facts.certificate_infos(certs, domains, NOW, bound_to=["CDN.example.test"])] == [1000]
    assert facts.certificate_infos(certs, domains, NOW, bound_to=["img.other.test"]) == []


def test_domain_infos_carry_the_bound_certificate(domains):
    infos = facts.domain_infos(domains, [WILDCARD, OTHER], NOW)
    by_name = {info["name"]: info for info in infos}
    assert by_name["cdn.example.test"]["certificate"]["sans"] == ["*.example.test"]
    assert by_name["cdn.example.test"]["certificate"]["days_left"] == 30
    assert by_name["cdn.example.test"]["certificate"]["ari_cert_id"] == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"
    assert by_name["img.other.test"]["certificate"] is None and by_name["img.other.test"]["cert_id"] == 0
    assert by_name["old.example.test"]["status"] == "offline" and not by_name["old.example.test"]["online"]


def test_domain_filter_and_unknown_domain(domains):
    assert [i["name"] for i in facts.domain_infos(domains, [], NOW, names=["static.example.test"])] == [
        "static.example.test"]
    with pytest.raises(InvalidInputError, match="^domains: no CDN domain named nope.test"):
        facts.domain_infos(domains, [], NOW, names=["nope.test"])


def test_domains_covered_by_certificate_names(domains):
    def covered(names):
        return sorted(i["name"] for i in facts.domain_infos(domains, [], NOW, covered_by=names))

    assert covered(["example.test", "*.example.test"]) == ["cdn.example.test", "old.example.test", "static.example.test"]
    assert covered(["cdn.example.test"]) == ["cdn.example.test"]
    assert covered(["*.other.test"]) == ["img.other.test"]
    assert covered(["*.cdn.example.test"]) == []
    assert covered([]) == []


def test_one_warning_for_every_key_type_of_no_family(domains):
    odd = [replace(WILDCARD, key_type=""), replace(OTHER, key_type=None), replace(WILDCARD, id=1002, key_type="SM2")]
    infos = facts.certificate_infos(odd + [replace(OTHER, id=1003, key_type="RSA-2048")], domains, NOW)
    assert [info["key_family"] for info in infos] == [None, None, None, "rsa"]
    warning = facts.unknown_key_type_warning(infos)
    assert warning.startswith("DogeCloud reports a key type") and "1000 ('')" in warning and "1001 (None)" in warning
    assert "1002 ('SM2')" in warning and "1003" not in warning
    assert facts.unknown_key_type_warning(infos[3:]) is None
    assert facts.unknown_key_type_warning([None]) is None  # a domain with no certificate


class ListingClient:
    """The two reads of ``DogeCloudClient`` the info results make, in the order made."""

    def __init__(self, certs, domains):
        self.certs, self.domains, self.calls = certs, domains, []

    def list_certificates(self):
        self.calls.append("list_certificates")
        return self.certs

    def list_domains(self):
        self.calls.append("list_domains")
        return self.domains


def test_certificate_info_is_a_read_only_result_with_its_warnings(domains):
    client = ListingClient([replace(OTHER, key_type=""), WILDCARD], domains)
    result = facts.certificate_info(client, NOW, bound_to=["cdn.example.test", "img.other.test"])
    assert result["changed"] is False and [info["id"] for info in result["certificates"]] == [1000]
    assert result["warnings"] == [] and sorted(client.calls) == ["list_certificates", "list_domains"]
    everything = facts.certificate_info(client, NOW)
    assert [info["id"] for info in everything["certificates"]] == [1000, 1001]
    assert len(everything["warnings"]) == 1 and "1001 ('')" in everything["warnings"][0]


def test_domain_info_is_a_read_only_result_with_its_warnings(domains):
    client = ListingClient([replace(WILDCARD, key_type="SM2"), OTHER], domains)
    result = facts.domain_info(client, NOW, covered_by=["*.example.test"])
    assert result["changed"] is False
    assert [info["name"] for info in result["domains"]] == ["cdn.example.test", "static.example.test", "old.example.test"]
    assert len(result["warnings"]) == 1 and "1000 ('SM2')" in result["warnings"][0]
    assert facts.domain_info(client, NOW, names=["img.other.test"])["warnings"] == []


def view_of(cdn_domains, certs, **request):
    return facts.certificate_views(cdn_domains, certs, NOW, [dict(request, id="x")])[0]


def test_view_of_named_domains_keeps_offline_targets_and_the_shared_certificate(domains):
    view = view_of(domains, [WILDCARD], domains=["STATIC.example.test", "cdn.example.test"])
    assert view["targets"] == ["cdn.example.test", "static.example.test"]
    assert view["current"]["id"] == 1000 and view["error"] is None
    offline = view_of(domains, [WILDCARD], domains=["old.example.test"])
    assert offline["targets"] == ["old.example.test"] and offline["current"] is None


def test_view_of_covered_domains_targets_only_online_ones(domains):
    view = view_of(domains, [WILDCARD], covered_by=["*.example.test"])
    assert view["targets"] == ["cdn.example.test", "static.example.test"]
    assert [d["name"] for d in view["domains"]] == ["cdn.example.test", "static.example.test", "old.example.test"]
    assert view["current"]["id"] == 1000


def test_no_current_certificate_when_targets_disagree_or_one_has_none(domains):
    mixed = [replace(d, cert_id=1001) if d.name == "static.example.test" else d for d in domains]
    assert view_of(mixed, [WILDCARD, OTHER], domains=["cdn.example.test", "static.example.test"])["current"] is None
    assert view_of(domains, [WILDCARD], domains=["cdn.example.test", "img.other.test"])["current"] is None
    assert view_of(domains, [WILDCARD], covered_by=["*.nothing.test"])["current"] is None


def test_a_wrong_request_gets_an_error_and_the_others_their_answer(domains):
    views = facts.certificate_views(domains, [WILDCARD], NOW, [
        dict(id="a", domains=["nope.test"]),
        dict(id="b", covered_by=["bad name.test"]),
        dict(id="c", domains=["cdn.example.test"]),
    ])
    assert [view["id"] for view in views] == ["a", "b", "c"]
    assert views[0]["error"].startswith("domains: no CDN domain named nope.test")
    assert views[1]["error"].startswith("names: ")
    assert views[0]["targets"] == [] and views[0]["current"] is None
    assert views[2]["error"] is None and views[2]["current"]["id"] == 1000


def test_view_with_the_names_of_the_certificate_lists_the_targets_they_do_not_cover(domains):
    view = view_of(domains, [WILDCARD], domains=["cdn.example.test", "img.other.test"],
                   names=["www.example.test", "*.EXAMPLE.test"])
    assert view["uncovered"] == ["img.other.test"] and view["error"] is None
    apex = view_of(domains, [WILDCARD], domains=["cdn.example.test"], names=["example.test"])
    assert apex["uncovered"] == ["cdn.example.test"]
    assert view_of(domains, [WILDCARD], domains=["cdn.example.test"], names=["cdn.example.test"])["uncovered"] == []
    assert "uncovered" not in view_of(domains, [WILDCARD], domains=["cdn.example.test"])
    bad = view_of(domains, [WILDCARD], domains=["cdn.example.test"], names=["bad name.test"])
    assert bad["error"].startswith("names: ") and "uncovered" not in bad
