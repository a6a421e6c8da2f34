# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files of an issuance: atomic writes with modes, backups.

A file is written to a temporary file in the same directory, flushed to disk
and renamed over the target, so a reader never sees half a key or a
certificate. A file whose content is already the wanted one is not touched.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from typing import TYPE_CHECKING

from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError

if TYPE_CHECKING:
    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock

PRIVATE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
PUBLIC_MODE = 0o644


class FileWriteError(CertopsError):
    """A file could not be read or written."""


def read_text(path: str) -> str | None:
    """The content of ``path`` as text, or ``None`` when it does not exist."""
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        # Under a path that is not a directory, the file does not exist either.
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileWriteError("cannot read %s: %s" % (path, exc), path=path) from exc


def ensure_parent_directory(path: str, check_mode: bool = False) -> bool:
    """Make the directory of ``path`` (mode 0700, parents too) when it is missing.

    In check mode nothing is made; it fails the same way the real run would
    when the directory cannot be made or written to. Returns whether the
    directory was (or would be) made.
    """
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(directory):
        if not os.access(directory, os.W_OK | os.X_OK):
            raise FileWriteError("cannot write %s: the directory %s is not writable by this user" % (path, directory),
                                 path=path)
        return False
    existing = directory
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing) or not os.access(existing, os.W_OK | os.X_OK):
        raise FileWriteError("cannot create the directory %s for %s: %s is not a directory writable by this user"
                             % (directory, path, existing), path=path)
    if not check_mode:
        try:
            os.makedirs(directory, mode=PRIVATE_DIR_MODE, exist_ok=True)
        except OSError as exc:
            raise FileWriteError("cannot create the directory %s for %s: %s" % (directory, path, exc.strerror),
                                 path=path) from exc
    return True


def needs_write(path: str, content: str | bytes, mode: int) -> bool:
    """Whether :func:`write_atomic` would change ``path``."""
    try:
        return _read_bytes(path) != _as_bytes(content) or _mode(path) != mode
    except OSError as exc:
        raise FileWriteError("cannot read %s: %s" % (path, exc), path=path) from exc


def write_atomic(path: str, content: str | bytes, mode: int, backup: bool = False,
                 clock: Clock | None = None) -> tuple[bool, str | None]:
    """Write ``content`` to ``path`` with ``mode`` by atomic rename.

    Returns ``(changed, backup_path)``. An identical file with the right mode
    is left untouched; an identical file with another mode only gets its mode
    fixed. With ``backup``, a changed existing file is first copied to
    ``<path>.<UTC timestamp>~``.
    """
    data = _as_bytes(content)
    try:
        existing = _read_bytes(path)
        if existing == data:
            if _mode(path) == mode:
                return False, None
            os.chmod(path, mode)
            return True, None
        backup_path = backup_file(path, clock) if backup and existing is not None else None
        _replace(path, data, mode)
    except OSError as exc:
        # strerror, not str(exc): the temporary file's name would only confuse.
        raise FileWriteError("cannot write %s: %s" % (path, exc.strerror or exc), path=path) from exc
    return True, backup_path


def create_exclusive(path: str, content: str | bytes, mode: int) -> bool:
    """Create ``path`` with ``content`` and ``mode`` unless it exists; ``False`` when it did.

    The content is written to a private temporary file first, which is then
    hard-linked to ``path``. The link fails when ``path`` exists, so of writers
    racing for one path (runs that share an account key file) the first one
    wins, and the others find its file complete and can read it instead.
    """
    directory = os.path.dirname(os.path.abspath(path))
    try:
        tmp_path = _write_temporary(directory, path, _as_bytes(content), mode)
        try:
            os.link(tmp_path, path)
        except FileExistsError:
            return False
        finally:
            _remove_quietly(tmp_path)
    except OSError as exc:
        raise FileWriteError("cannot write %s: %s" % (path, exc.strerror or exc), path=path) from exc
    _fsync_directory(directory)
    return True


def backup_file(path: str, clock: Clock | None = None) -> str:
    """Copy ``path`` next to itself with a timestamp suffix; return the copy's path."""
    now = clock.now() if clock is not None else datetime.datetime.now(datetime.timezone.utc)
    backup_path = "%s.%s~" % (path, now.strftime("%Y%m%dT%H%M%S.%fZ"))
    shutil.copy2(path, backup_path)
    return backup_path


def _replace(path: str, data: bytes, mode: int) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    tmp_path = _write_temporary(directory, path, data, mode)
    try:
        os.replace(tmp_path, path)
    except BaseException:
        _remove_quietly(tmp_path)
        raise
    _fsync_directory(directory)


def _write_temporary(directory: str, path: str, data: bytes, mode: int) -> str:
    """A complete temporary file with ``data`` and ``mode`` beside ``path``; its path."""
    fd, tmp_path = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(path), suffix=".tmp")
    try:
        # mkstemp creates the file 0600, so a key is never readable by others, even briefly.
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_path, mode)
    except BaseException:
        _remove_quietly(tmp_path)
        raise
    return tmp_path


def _read_bytes(path: str) -> bytes | None:
    """The bytes of ``path``; ``None`` when it does not exist."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _mode(path: str) -> int:
    return os.stat(path).st_mode & 0o7777


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content
