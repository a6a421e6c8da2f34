# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-wide locks, so that forks and parallel plays on one controller
serialise their read-modify-write of a shared resource (a DNS rrset).

A lock is ``fcntl.flock`` on a file named by a hash of what it protects, in a
private directory. The kernel releases it when the holder exits, even after a
crash, so no stale lock can block a later run.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
import tempfile
from typing import TYPE_CHECKING

from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.polling import Poll

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Literal

    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock

LOCK_DIR_ENV = "CERTOPS_ACME_LOCK_DIR"
DEFAULT_TIMEOUT = 300.0
POLL_INTERVAL = 0.05


def default_lock_dir() -> str:
    """``$CERTOPS_ACME_LOCK_DIR``, else ``$XDG_RUNTIME_DIR/certops-acme-locks``, else a per-user temp dir."""
    if os.environ.get(LOCK_DIR_ENV):
        return os.environ[LOCK_DIR_ENV]
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return os.path.join(runtime, "certops-acme-locks")
    return os.path.join(tempfile.gettempdir(), "certops-acme-locks-%d" % os.getuid())


def lock_path(parts: Iterable[str], directory: str | None = None) -> str:
    """The lock file for the resource identified by ``parts`` (strings)."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
    return os.path.join(directory or default_lock_dir(), digest + ".lock")


def _private_dir(directory: str) -> None:
    """Create the lock directory (mode 0700) and refuse one that another user controls."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise CertopsError("cannot create the lock directory %s: %s" % (directory, exc.strerror),
                           lock_dir=directory) from exc
    info = os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise CertopsError(
            "the lock directory %s is not a directory owned by this user; remove it or set %s to another path"
            % (directory, LOCK_DIR_ENV), lock_dir=directory)


class FileLock:
    """An exclusive lock held for a ``with`` block, waiting at most ``timeout`` seconds."""

    def __init__(self, path: str, timeout: float = DEFAULT_TIMEOUT, clock: Clock | None = None,
                 poll_interval: float = POLL_INTERVAL, what: str | None = None) -> None:
        self.path = path
        self.timeout = timeout
        self.clock = clock or SystemClock()
        self.poll_interval = poll_interval
        self.what = what or path
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        _private_dir(os.path.dirname(self.path))
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
                     0o600)
        try:
            self._wait_for(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def _wait_for(self, fd: int) -> None:
        for _round in Poll(self.timeout, self.poll_interval, self.clock):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
        raise TimeoutExpired(
            "another run on this controller held the lock for %s for more than %.0f seconds (lock file %s)"
            % (self.what, self.timeout, self.path), lock_file=self.path, timeout=self.timeout)

    def __exit__(self, *exc_info: object) -> Literal[False]:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return False


def resource_lock(parts: Iterable[str], what: str, directory: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                  clock: Clock | None = None) -> FileLock:
    """A :class:`FileLock` for the resource identified by ``parts``, described as ``what``."""
    return FileLock(lock_path(parts, directory), timeout=timeout, clock=clock, what=what)
