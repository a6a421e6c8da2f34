# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Key types and keys: the account key and the certificate key; load, generate, write (0600)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

try:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
except ImportError:
    ec = rsa = None  # type: ignore[assignment]  # pem.HAS_CRYPTOGRAPHY tells the modules to fail with missing_required_lib

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import files
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

KEY_TYPES = ("ec256", "ec384", "rsa2048", "rsa3072", "rsa4096")
_CURVES = {"ec256": "SECP256R1", "ec384": "SECP384R1"}
_RSA_SIZES = {"rsa2048": 2048, "rsa3072": 3072, "rsa4096": 4096}
ACCOUNT_KEY_TYPE = "ec256"


def generate_private_key(key_type: str) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    """A new private key of one of :data:`KEY_TYPES`."""
    if key_type in _CURVES:
        return ec.generate_private_key(getattr(ec, _CURVES[key_type])())
    if key_type in _RSA_SIZES:
        return rsa.generate_private_key(public_exponent=65537, key_size=_RSA_SIZES[key_type])
    raise InvalidInputError("key_type", "%r is not one of %s" % (key_type, ", ".join(KEY_TYPES)))


@dataclasses.dataclass
class KeyOutcome:
    """A loaded or created private key; ``changed`` when a file was (or would be) written."""

    key: PrivateKeyTypes
    changed: bool = False
    generated: bool = False


def account_key(path: str | None = None, content: str | None = None, create: bool = False, check_mode: bool = False) -> KeyOutcome:
    """The account key from ``account_key_content`` or ``account_key_path``.

    A missing file is created (EC P-256, 0600) when ``create`` is true, and
    its directory (0700) when that is missing too; in check mode the key is
    only generated in memory, after checking that the file could be written.
    Runs that create the same file at once all end up with the key of the
    first one, never each with its own.
    """
    if content:
        return KeyOutcome(pem.load_private_key(content, "account_key_content"))
    if not path:
        raise InvalidInputError("account_key_path", "set account_key_path or account_key_content")
    text = files.read_text(path)
    if text is not None:
        return KeyOutcome(pem.load_private_key(text, "account_key_path"))
    if not create:
        raise InvalidInputError("account_key_path", "%s does not exist; create it, or set account_key_create: true" % path)
    files.ensure_parent_directory(path, check_mode)
    key = generate_private_key(ACCOUNT_KEY_TYPE)
    if check_mode or files.create_exclusive(path, pem.dump_private_key(key), files.PRIVATE_MODE):
        return KeyOutcome(key, changed=True, generated=True)
    # Another run created the file meanwhile (hosts or controllers sharing it): its key is the account's.
    return KeyOutcome(pem.load_private_key(files.read_text(path) or "", "account_key_path"))


def certificate_key(path: str, key_type: str, reuse: bool = False, check_mode: bool = False) -> KeyOutcome:
    """The key for a new certificate: the existing one when ``reuse``, else a fresh one.

    A reused key must have ``key_type``; a fresh key is written to ``path``
    (0600, atomic) unless in check mode.
    """
    text = files.read_text(path)
    if reuse and text is not None:
        key = pem.load_private_key(text, "private_key_path")
        found = pem.key_type(key)
        if found != key_type:
            raise InvalidInputError(
                "private_key_path", "%s holds an %s key but key_type is %s; set key_type: %s or reuse_key: false"
                % (path, found, key_type, found))
        return KeyOutcome(key)
    return _new_key(path, key_type, check_mode)


def existing_certificate_key(path: str) -> PrivateKeyTypes:
    """The key that ``acme_order`` wrote for the order; fail clearly when missing."""
    text = files.read_text(path)
    if text is None:
        raise InvalidInputError("private_key_path", "%s does not exist; run certops.acme.acme_order with the same "
                                                    "private_key_path first" % path)
    return pem.load_private_key(text, "private_key_path")


def _new_key(path: str, key_type: str, check_mode: bool) -> KeyOutcome:
    key = generate_private_key(key_type)
    if not check_mode:
        files.write_atomic(path, pem.dump_private_key(key), files.PRIVATE_MODE)
    return KeyOutcome(key, changed=True, generated=True)
