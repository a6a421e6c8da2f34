# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The note this collection writes on each DogeCloud upload, and how it is read back.

DogeCloud keeps one free-text ``note`` per uploaded certificate and lists it
with every certificate, so the note is where an upload says, at no extra API
call, that it is ours, which certificate it belongs to, when it was uploaded
and which certificate exactly it is::

    <note_prefix><certificate name>;t=<upload time, unix seconds>;ari=<ARI certificate id>

for example ``certops-example.com;t=1764630000;ari=aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE``.
The ``ari`` part is the RFC 9773 certificate identifier (base64url of the
Authority Key Identifier, a dot, base64url of the serial number). A
certificate without an Authority Key Identifier has no such identifier; its
note ends with ``;fp=<the first 12 hex digits of its SHA-256 fingerprint>``
instead, so that two such certificates of the same names and expiry are still
told apart.

Notes written by earlier versions (``<note_prefix><name>-<12 hex digits>``)
are still recognised as ours, with no upload time. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEPARATOR = ";"
UPLOADED_FIELD = "t"
ARI_FIELD = "ari"
FINGERPRINT_FIELD = "fp"
FINGERPRINT_CHARS = 12
MAX_NAME_CHARS = 100
LEGACY_FINGERPRINT_CHARS = 12
_B64URL = r"[A-Za-z0-9_-]+"
_SHAPE = re.compile(r"(?P<head>[^;\s]+);t=(?P<uploaded>[0-9]{1,12})(?:;ari=(?P<ari>%s\.%s)|;fp=(?P<fp>[0-9a-f]{12}))?"
                    % (_B64URL, _B64URL))
_LEGACY_SUFFIX = re.compile(r"-[0-9a-f]{12}")
_NAME = re.compile(r"[^;\s]{1,%d}" % MAX_NAME_CHARS)


@dataclass(frozen=True)
class UploadNote:
    """What a note says about its upload; ``uploaded`` is ``None`` for an older note without a time."""

    name: str
    uploaded: int | None
    ari_cert_id: str | None
    fingerprint: str | None = None


def valid_name(name: str | None) -> bool:
    """Whether ``name`` can be written into a note (no ``;``, no blank, at most 100 characters)."""
    return bool(_NAME.fullmatch(name or ""))


def compose(prefix: str, name: str, uploaded: float, ari_cert_id: str | None = None, fingerprint: str | None = None) -> str:
    """The note of a new upload of certificate ``name`` at ``uploaded`` (unix seconds).

    ``fingerprint`` (the SHA-256 hex digest) is recorded only when there is no ``ari_cert_id``.
    """
    if not valid_name(name):
        raise ValueError("%r cannot be written into a note" % (name,))
    text = "%s%s%s%s=%d" % (prefix, name, SEPARATOR, UPLOADED_FIELD, int(uploaded))
    if ari_cert_id:
        text += "%s%s=%s" % (SEPARATOR, ARI_FIELD, ari_cert_id)
    elif fingerprint:
        text += "%s%s=%s" % (SEPARATOR, FINGERPRINT_FIELD, fingerprint[:FINGERPRINT_CHARS].lower())
    return text


def ari_cert_id(text: str | None) -> str | None:
    """The ARI certificate identifier a note carries, whoever wrote it; ``None`` when it carries none."""
    match = _SHAPE.fullmatch(text or "")
    return match.group("ari") if match else None


def parse(text: str | None, prefix: str | None) -> UploadNote | None:
    """An :class:`UploadNote` when ``text`` is a note this collection wrote under ``prefix``, else ``None``.

    A note is ours only when it starts with a non-empty ``prefix`` and has the
    exact shape :func:`compose` writes (or the shape of earlier versions);
    anything else, including a note a person typed, is not.
    """
    if not prefix or not text or not text.startswith(prefix):
        return None
    match = _SHAPE.fullmatch(text)
    if match and len(match.group("head")) > len(prefix):
        return UploadNote(name=match.group("head")[len(prefix):], uploaded=int(match.group("uploaded")),
                          ari_cert_id=match.group("ari"), fingerprint=match.group("fp"))
    rest = text[len(prefix):]
    if len(rest) > len("-0123456789ab") and _LEGACY_SUFFIX.fullmatch(rest[-13:]) and valid_name(rest[:-13]):
        return UploadNote(name=rest[:-13], uploaded=None, ari_cert_id=None)
    return None
