# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation and normalisation of the DNS names of a certificate order.

Every name is checked before any call to the CA, so that a typo fails with a
message naming it instead of an ACME ``rejectedIdentifier`` after the account
lookup. Names come out as lower-case A-labels (IDNA 2008 with UTS #46
mapping when the ``idna`` package is there, else Python's IDNA 2003 codec).
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

try:
    import idna
except ImportError:  # the stdlib codec below is the fallback
    idna = None

WILDCARD_PREFIX = "*."
MAX_NAME_LENGTH = 253
_LDH_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def normalize_names(names, option="names"):
    """Return the names as lower-case A-labels, in the given order.

    Raises :class:`InvalidInputError` naming ``option`` and the offending
    name for an empty list, a bad name, an IP address or a duplicate.
    """
    if not names:
        raise InvalidInputError(option, "give at least one DNS name")
    originals = {}
    for name in names:
        ascii_name = normalize_name(name, option)
        if ascii_name in originals:
            raise InvalidInputError(option, "%r and %r are the same name (%s), listed twice; list every name once"
                                    % (originals[ascii_name], name, ascii_name))
        originals[ascii_name] = name
    return list(originals)


def normalize_name(name, option="names"):
    """One name as a lower-case A-label string; wildcards keep their ``*.``."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError(option, "%r is not a DNS name" % (name,))
    text = name.strip()
    if text.endswith("."):
        raise InvalidInputError(option, "%r ends with a dot; write it without the trailing dot" % name)
    if _is_ip_address(text):
        raise InvalidInputError(option, "%r is an IP address; certificates from this collection cover DNS names only" % name)
    wildcard = text.startswith(WILDCARD_PREFIX)
    base = text[len(WILDCARD_PREFIX):] if wildcard else text
    if "*" in base:
        raise InvalidInputError(option, "%r: a wildcard is allowed only as the whole leftmost label ('*.example.com')" % name)
    ascii_base = _to_a_labels(base, name, option)
    _check_labels(ascii_base, name, option)
    result = WILDCARD_PREFIX + ascii_base if wildcard else ascii_base
    if len(result) > MAX_NAME_LENGTH:
        raise InvalidInputError(option, "%r is longer than %d characters" % (name, MAX_NAME_LENGTH))
    return result


def challenge_domain(name):
    """The name a DNS-01 authorization validates: without the ``*.`` of a wildcard."""
    return name[len(WILDCARD_PREFIX):] if name.startswith(WILDCARD_PREFIX) else name


def challenge_fqdn(name):
    """The record name of the DNS-01 TXT value for ``name``."""
    return "_acme-challenge." + challenge_domain(name)


def _is_ip_address(text):
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _to_a_labels(text, original, option):
    if text.isascii():
        return text.lower()
    try:
        if idna is not None:
            return idna.encode(text, uts46=True).decode("ascii").lower()
        return text.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError) as exc:
        raise InvalidInputError(option, "%r is not a valid internationalised domain name (%s)" % (original, exc)) from exc


def _check_labels(ascii_name, original, option):
    labels = ascii_name.split(".")
    if any(not label for label in labels):
        raise InvalidInputError(option, "%r has an empty label (two dots in a row, or a leading dot)" % original)
    for label in labels:
        if not _LDH_LABEL.match(label):
            raise InvalidInputError(
                option, "%r: label %r must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen"
                % (original, label))
