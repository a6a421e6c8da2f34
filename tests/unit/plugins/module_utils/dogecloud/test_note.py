# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.acme.renewal import ari_certificate_id
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import note

ARI = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"


def test_compose_then_parse_gives_back_name_time_and_identifier():
    text = note.compose("certops-", "example.com", 1764630000, ARI)
    assert text == "certops-example.com;t=1764630000;ari=" + ARI
    assert note.parse(text, "certops-") == note.UploadNote("example.com", 1764630000, ARI)
    assert note.ari_cert_id(text) == ARI


def test_identifier_is_optional():
    text = note.compose("certops-", "*.example.com", 1764630000.7)
    assert text == "certops-*.example.com;t=1764630000"
    assert note.parse(text, "certops-") == note.UploadNote("*.example.com", 1764630000, None)
    assert note.ari_cert_id(text) is None


def test_a_certificate_without_identifier_is_noted_by_its_fingerprint():
    text = note.compose("certops-", "example.com", 1764630000, None, fingerprint="0123456789ABCDEF" * 4)
    assert text == "certops-example.com;t=1764630000;fp=0123456789ab"
    assert note.parse(text, "certops-") == note.UploadNote("example.com", 1764630000, None, "0123456789ab")
    assert note.compose("certops-", "example.com", 1, ARI, fingerprint="ab" * 32).endswith(";ari=" + ARI)


def test_identifier_of_a_real_certificate_round_trips(issuer):
    leaf = issuer.leaf(["www.example.test"], serial=0x00FF01)
    ari = ari_certificate_id(leaf["cert_pem"])
    assert note.ari_cert_id(note.compose("p-", "www", 5, ari)) == ari


@pytest.mark.parametrize("text", [
    "uploaded by hand",  # a person's note
    "certops-",  # the prefix alone
    "other-example.com;t=1764630000",  # another prefix
    "certops-example.com;t=soon",  # not a time
    "certops-example.com;t=1764630000;ari=bad",  # not an identifier
    "certops-example.com;t=1764630000;x=1",  # unknown field: not written by this collection
    "certops-example.com t=1764630000",
    "",
    None,
])
def test_a_note_not_in_the_exact_form_is_not_ours(text):
    assert note.parse(text, "certops-") is None


def test_an_empty_prefix_makes_nothing_ours():
    assert note.parse("example.com;t=1764630000", "") is None


def test_notes_of_earlier_versions_are_ours_without_a_time():
    assert note.parse("certops-example.com-3f2a9c0d1b7e", "certops-") == note.UploadNote("example.com", None, None)
    assert note.parse("certops-example.com-3F2A9C0D1B7E", "certops-") is None
    assert note.parse("certops-3f2a9c0d1b7e", "certops-") is None


def test_identifier_is_read_whoever_wrote_the_note():
    assert note.ari_cert_id("team-a/example.com;t=1;ari=" + ARI) == ARI
    assert note.ari_cert_id("example.com") is None


@pytest.mark.parametrize("name", ["", "a b", "a;b", "x" * 101])
def test_names_that_cannot_be_written(name):
    assert not note.valid_name(name)
    with pytest.raises(ValueError):
        note.compose("certops-", name, 1)
