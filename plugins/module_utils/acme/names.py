# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one validator of DNS names given to the collection's modules.

Every name is checked here, before any call, so that a typo fails with a
message naming the option and the fix instead of a refusal from the CA or a
write to the wrong record. Three kinds of names are told apart:

* certificate names (``acme_order`` ``names``, ``dogecloud_domain_info``
  ``covered_by``): host names, optionally ``*.`` wildcards, whose DNS-01
  record ``_acme-challenge.<name>`` must itself be a valid name, so at most
  237 characters without the ``*.``;
* host names (CDN domains): at most 253 characters, wildcards allowed;
* TXT record names (``gandi_dns_challenge`` ``challenges[].fqdn``): like
  host names, but a label may start with ``_`` as ``_acme-challenge`` does.

Labels are letters, digits and hyphens (LDH), 1-63 characters, not starting or
ending with a hyphen; ``_`` is allowed only at the start of a record name's
label. ``@`` (the zone apex in Gandi's notation) is never a name. Unicode names
come out as lower-case A-labels (IDNA 2008 with UTS #46 mapping when the
``idna`` package is there, else Python's IDNA 2003 codec).
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

try:
    import idna
except ImportError:  # the stdlib codec below is the fallback
    idna = None  # type: ignore[assignment]

WILDCARD_PREFIX = "*."
ACME_CHALLENGE_LABEL = "_acme-challenge"
CHALLENGE_PREFIX = ACME_CHALLENGE_LABEL + "."
MAX_NAME_LENGTH = 253
# _acme-challenge.<name> must fit in 253 characters: a longer name can never be validated by DNS-01.
MAX_CERTIFICATE_NAME_LENGTH = MAX_NAME_LENGTH - len(CHALLENGE_PREFIX)
APEX = "@"
_LDH_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_RECORD_LABEL = re.compile(r"^_?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_UNICODE_DOTS = ("\u3002", "\uff0e", "\uff61")

CERTIFICATE = "certificate"
HOST = "host"
RECORD = "record"


def normalize_names(names: Sequence[Any] | None, option: str = "names") -> list[str]:
    """Return certificate names as lower-case A-labels, in the given order.

    Raises :class:`InvalidInputError` naming ``option`` and the offending
    name for an empty list, a bad name, an IP address or a duplicate.
    """
    if not names:
        raise InvalidInputError(option, "give at least one DNS name")
    originals: dict[str, Any] = {}
    for name in names:
        ascii_name = normalize_name(name, option)
        if ascii_name in originals:
            raise InvalidInputError(option, "%r and %r are the same name (%s), listed twice; list every name once"
                                    % (originals[ascii_name], name, ascii_name))
        originals[ascii_name] = name
    return list(originals)


def normalize_name(name: object, option: str = "names") -> str:
    """One certificate name as a lower-case A-label string; wildcards keep their ``*.``."""
    return _normalize(name, option, CERTIFICATE)


def certificate_names(values: Iterable[object] | None, option: str) -> list[str] | None:
    """Certificate names (``None`` stays ``None``), without the at-least-one and duplicate rules."""
    return None if values is None else [normalize_name(value, option) for value in values]


def host_name(name: object, option: str, wildcard: bool = True) -> str:
    """A host name such as a CDN domain, as a lower-case A-label string; a zone passes ``wildcard=False``."""
    if not wildcard and isinstance(name, str) and "*" in name:
        raise InvalidInputError(option, "%r: a wildcard is not allowed here; give a DNS name such as example.com"
                                % name)
    return _normalize(name, option, HOST)


def host_names(values: Iterable[object] | None, option: str) -> list[str] | None:
    """Host names (``None`` stays ``None``)."""
    return None if values is None else [host_name(value, option) for value in values]


def record_name(name: object, option: str) -> str:
    """A TXT record name such as ``_acme-challenge.www.example.com`` (a trailing dot is dropped)."""
    if isinstance(name, str) and name.strip().endswith(".") and name.strip() != ".":
        name = name.strip()[:-1]
    return _normalize(name, option, RECORD)


def challenge_domain(name: str) -> str:
    """The name a DNS-01 authorization validates: without the ``*.`` of a wildcard."""
    return name[len(WILDCARD_PREFIX):] if name.startswith(WILDCARD_PREFIX) else name


def challenge_fqdn(name: str) -> str:
    """The record name of the DNS-01 TXT value for ``name``."""
    return CHALLENGE_PREFIX + challenge_domain(name)


def _normalize(name: object, option: str, kind: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError(option, "%r is not a DNS name" % (name,))
    text = name.strip()
    if text.endswith("."):
        raise InvalidInputError(option, "%r ends with a dot; write it without the trailing dot" % name)
    if APEX in text:
        raise InvalidInputError(
            option, "%r contains '@', which is not part of any DNS name (Gandi writes '@' for a zone apex); "
            "write the full name, such as example.com for the apex" % name)
    if _is_ip_address(text):
        raise InvalidInputError(option, "%r is an IP address; give a DNS name (certificates from this collection "
                                "cover DNS names only)" % name)
    wildcard = kind != RECORD and text.startswith(WILDCARD_PREFIX)
    base = text[len(WILDCARD_PREFIX):] if wildcard else text
    if "*" in base:
        raise InvalidInputError(option, "%r: a wildcard is allowed only as the whole leftmost label ('*.example.com')"
                                % name)
    ascii_base = _to_a_labels(base, name, option)
    _check_labels(ascii_base, name, option, _RECORD_LABEL if kind == RECORD else _LDH_LABEL, kind)
    result = WILDCARD_PREFIX + ascii_base if wildcard else ascii_base
    if kind == CERTIFICATE and len(ascii_base) > MAX_CERTIFICATE_NAME_LENGTH:
        raise InvalidInputError(
            option, "%r is %d characters long (as A-labels, without '*.'); a certificate name can have at most %d, "
            "since its DNS-01 record %s<name> must fit in %d characters; use a shorter name or a wildcard for a "
            "parent name" % (name, len(ascii_base), MAX_CERTIFICATE_NAME_LENGTH, CHALLENGE_PREFIX, MAX_NAME_LENGTH))
    if len(result) > MAX_NAME_LENGTH:
        raise InvalidInputError(option, "%r is %d characters long (as A-labels); a DNS name has at most %d"
                                % (name, len(result), MAX_NAME_LENGTH))
    return result


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _to_a_labels(text: str, original: object, option: str) -> str:
    """Lower-case A-labels, label by label: an ASCII label (``_acme-challenge``) is kept as it is."""
    if text.isascii():
        return text.lower()
    if idna is not None:
        try:
            text = idna.uts46_remap(text, std3_rules=False, transitional=False)
        except (idna.IDNAError, UnicodeError, ValueError) as exc:
            raise _bad_idn(original, option, exc) from exc
    for dot in _UNICODE_DOTS:
        text = text.replace(dot, ".")
    return ".".join(_a_label(label, original, option) for label in text.split("."))


def _a_label(label: str, original: object, option: str) -> str:
    if label.isascii():
        return label.lower()
    try:
        if idna is not None:
            return idna.alabel(label).decode("ascii").lower()
        return label.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError) as exc:  # idna.IDNAError is a UnicodeError
        raise _bad_idn(original, option, exc) from exc


def _bad_idn(original: object, option: str, exc: Exception) -> InvalidInputError:
    return InvalidInputError(option, "%r is not a valid internationalised domain name (%s); check its spelling or "
                             "give its A-label (xn--...) form" % (original, exc))


def _check_labels(ascii_name: str, original: object, option: str, pattern: re.Pattern[str], kind: str) -> None:
    labels = ascii_name.split(".")
    if any(not label for label in labels):
        raise InvalidInputError(option, "%r has an empty label (two dots in a row, or a leading dot)" % original)
    for label in labels:
        if not pattern.match(label):
            extra = ""
            if kind == RECORD:
                extra = "; a label of a record name may also start with '_' (as in _acme-challenge)"
            elif "_" in label:
                extra = "; '_' belongs only in DNS record names such as _acme-challenge, never in a certificate or " \
                        "host name"
            raise InvalidInputError(
                option, "%r: label %r must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen%s"
                % (original, label, extra))
