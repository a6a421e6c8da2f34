# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A private, exclusive work directory per certificate on the controller.

A run that issues a certificate keeps its new key and files in a directory of
its own (mode 0700) and holds a lease on the certificate's name, so that two
runs of the same certificate on one controller never issue twice: the second
waits, then reads what the first deployed.

Both survive the task that made them: they belong to the run (the
``ansible-playbook`` process), recorded as its pid and start time. A lease or
a directory whose run is gone is stale: a lease is taken over, a directory is
removed at the next start once it is older than a bound, so a killed run
leaves no key behind for long. Only directories with our owner record, owned
by this user, are ever removed.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import time
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.acme import files
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.locks import default_lock_dir, lock_path, resource_lock
from ansible_collections.certops.acme.plugins.module_utils.polling import Poll

if TYPE_CHECKING:
    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock

PREFIX = "issue_and_deploy."
OWNER_FILE = ".certops-owner.json"
POLL_INTERVAL = 0.5
DEFAULT_STALE_AFTER = 600.0
# A lease whose run cannot be identified (no /proc) counts as held for at most this long.
UNKNOWN_OWNER_LEASE = 3600.0
_RUN_COMMANDS = ("ansible-playbook", "ansible-runner", "ansible-test", "ansible")


def _proc(pid: int, name: str) -> bytes | None:
    try:
        with open("/proc/%d/%s" % (pid, name), "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _stat_field(pid: int, field: int) -> int | None:
    """Field ``field`` (numbered as in proc(5)) of /proc/<pid>/stat, or ``None``."""
    raw = _proc(pid, "stat")
    if raw is None:
        return None
    # What follows the command (field 2, in parentheses) starts with the state, field 3.
    fields = raw.rsplit(b")", 1)[-1].split()
    index = field - 3
    return int(fields[index]) if len(fields) > index else None


def process_start(pid: int) -> int | None:
    """The start time of ``pid`` (clock ticks since boot, from /proc) or ``None``."""
    return _stat_field(pid, 22)


def _parent(pid: int) -> int | None:
    return _stat_field(pid, 4)


def _is_ansible(pid: int) -> bool:
    cmdline = _proc(pid, "cmdline") or b""
    words = [os.path.basename(word.decode("utf-8", "replace")) for word in cmdline.split(b"\0")[:3] if word]
    return any(word in _RUN_COMMANDS or word.startswith("ansible-playbook") for word in words)


def run_owner(pid: int | None = None) -> dict[str, int] | None:
    """``{"pid", "start"}`` of the run this process belongs to, or ``None`` when unknown.

    The run is the outermost Ansible process (``ansible-playbook`` and its
    workers) above this module; the pid alone could be reused, the start time
    tells them apart.
    """
    pid = pid or os.getpid()
    owner = None
    current = _parent(pid)
    seen = 0
    while current and current > 1 and seen < 64:
        seen += 1
        if _is_ansible(current):
            owner = current
        elif owner is not None:
            break
        current = _parent(current)
    if owner is None:
        return None
    start = process_start(owner)
    return None if start is None else {"pid": owner, "start": start}


def owner_alive(owner: object) -> bool | None:
    """``True``/``False`` when the owner is known, ``None`` when it is not."""
    if not isinstance(owner, dict) or not isinstance(owner.get("pid"), int):
        return None
    start = process_start(owner["pid"])
    return start is not None and start == owner.get("start")


def _read_json(path: str) -> Any:
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None


def _write_json(path: str, data: object) -> None:
    files.write_atomic(path, json.dumps(data), files.PRIVATE_MODE)


# --- work directories -------------------------------------------------------
def create_directory(owner: dict[str, int] | None, name: str, parent: str | None = None) -> str:
    """A new directory ``issue_and_deploy.<name>.XXXX`` (mode 0700) with its owner record."""
    path = tempfile.mkdtemp(prefix="%s%s." % (PREFIX, name), dir=parent)
    _write_json(os.path.join(path, OWNER_FILE), {"owner": owner, "created": time.time()})
    return path


def stale_directories(parent: str | None = None, stale_after: float = DEFAULT_STALE_AFTER, now: float | None = None) -> list[str]:
    """Our work directories in ``parent`` whose run is gone and that are older than ``stale_after`` s.

    Ours: a real directory (no symlink) of this user named ``issue_and_deploy.*``
    that holds our owner record. A directory without a known owner is left alone.
    """
    parent = parent or tempfile.gettempdir()
    now = time.time() if now is None else now
    found: list[str] = []
    try:
        entries = sorted(os.listdir(parent))
    except OSError:
        return found
    for entry in entries:
        if not entry.startswith(PREFIX):
            continue
        path = os.path.join(parent, entry)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or now - info.st_mtime < stale_after:
            continue
        record = _read_json(os.path.join(path, OWNER_FILE))
        if not isinstance(record, dict) or owner_alive(record.get("owner")) is not False:
            continue
        found.append(path)
    return found


def remove_directory(path: str | None) -> None:
    """Remove a work directory (and the keys in it); a missing one is fine."""
    if path and os.path.lexists(path):
        shutil.rmtree(path)


# --- the local copy -----------------------------------------------------------
# The files of an issued certificate kept beside the deployment, with their modes.
COPY_FILES = (("privkey.pem", 0o600), ("cert.pem", 0o644), ("chain.pem", 0o644), ("fullchain.pem", 0o644))
RECORD_FILE = "certificate.json"


def record_text(record: object) -> bytes:
    """The ``certificate.json`` record: indented JSON with sorted keys and a final newline."""
    return (json.dumps(record, indent=4, sort_keys=True, separators=(",", ": ")) + "\n").encode("utf-8")


def record_diff(destination: str, record: object) -> dict[str, str]:
    """The change of ``certificate.json`` in ``destination`` that :func:`keep_copy` makes, for diff mode.

    Only the record: the key never goes into a diff.
    """
    path = os.path.join(destination, RECORD_FILE)
    try:
        with open(path, "rb") as handle:
            before = handle.read().decode("utf-8", "replace")
    except OSError:
        before = ""
    return dict(before_header=path, after_header=path, before=before, after=record_text(record).decode("utf-8"))


def _same_file(path: str, content: bytes, mode: int) -> bool:
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) != mode:
            return False
        with open(path, "rb") as handle:
            return handle.read() == content
    except OSError:
        return False


def keep_copy(workdir: str, destination: str, record: object, check_mode: bool = False) -> list[str]:
    """Copy the key and certificate files of ``workdir`` to ``destination`` with ``record`` beside them.

    ``destination`` (made with its parents when missing) gets mode 0700; the key
    0600, the certificates 0644, ``certificate.json`` 0644. Each file is
    replaced atomically and only when its content or mode differs. Returns the
    names of the files written (in check mode: that would be written, and
    nothing is). A missing source file fails before anything is written.
    """
    contents = []
    for name, mode in COPY_FILES:
        source = os.path.join(workdir, name)
        try:
            with open(source, "rb") as handle:
                contents.append((name, handle.read(), mode))
        except OSError as exc:
            raise CertopsError("cannot read %s to keep a copy of it: %s" % (source, exc.strerror or exc), path=source) from exc
    contents.append((RECORD_FILE, record_text(record), 0o644))
    written = [name for name, content, mode in contents if not _same_file(os.path.join(destination, name), content, mode)]
    if check_mode:
        return written
    try:
        os.makedirs(destination, mode=0o700, exist_ok=True)
        if stat.S_IMODE(os.stat(destination).st_mode) != 0o700:
            os.chmod(destination, 0o700)
        for name, content, mode in contents:
            if name in written:
                files.write_atomic(os.path.join(destination, name), content, mode)
    except (OSError, files.FileWriteError) as exc:
        why = exc.message if isinstance(exc, files.FileWriteError) else exc
        raise CertopsError("cannot keep a copy of the certificate in %s: %s" % (destination, why), path=destination) from exc
    return written


# --- leases -----------------------------------------------------------------
def lease_path(name: str, directory: str | None = None) -> str:
    return lock_path(("issue_and_deploy", name), directory or default_lock_dir())[:-len(".lock")] + ".lease"


class LeaseHeld(CertopsError):
    """Another live run holds the lease."""


def try_acquire(name: str, owner: dict[str, int] | None, workdir: str, directory: str | None = None,
                now: float | None = None) -> dict[str, Any]:
    """Take the lease of ``name`` unless a live run holds it; return the lease taken."""
    path = lease_path(name, directory)
    with resource_lock(("issue_and_deploy", name, "lease"), "the lease of certificate %s" % name,
                       directory=directory or default_lock_dir(), timeout=10.0):
        now = time.time() if now is None else now
        current = _read_json(path)
        if isinstance(current, dict) and current.get("workdir") != workdir:
            alive = owner_alive(current.get("owner"))
            if alive is None:
                acquired = current.get("acquired")
                alive = (os.path.isdir(str(current.get("workdir"))) and isinstance(acquired, (int, float))
                         and now - acquired < UNKNOWN_OWNER_LEASE)
            if alive:
                raise LeaseHeld("certificate %s is being issued by another run on this controller (pid %s, work "
                                "directory %s)" % (name, (current.get("owner") or {}).get("pid", "unknown"),
                                                   current.get("workdir")),
                                lease=path, holder=current.get("owner"))
        lease = {"name": name, "owner": owner, "workdir": workdir, "acquired": now}
        _write_json(path, lease)
        return lease


def acquire(name: str, owner: dict[str, int] | None, workdir: str, timeout: float, directory: str | None = None,
            clock: Clock | None = None, poll_interval: float = POLL_INTERVAL) -> float:
    """Wait (at most ``timeout`` s) for the lease of ``name``; return the seconds waited."""
    poll, held = Poll(timeout, poll_interval, clock), None
    for _round in poll:
        try:
            try_acquire(name, owner, workdir, directory)
            return poll.elapsed()
        except LeaseHeld as exc:
            held = exc
    if held is None:  # not reached: a poll runs at least one round
        raise AssertionError("no round ran")
    raise TimeoutExpired("%s for more than %.0f seconds; wait for it to end or raise the timeout"
                         % (held.message, timeout), **held.details) from held


def release(name: str, workdir: str, directory: str | None = None) -> bool:
    """Give the lease of ``name`` back if ``workdir``'s run holds it; ``True`` when released."""
    path = lease_path(name, directory)
    with resource_lock(("issue_and_deploy", name, "lease"), "the lease of certificate %s" % name,
                       directory=directory or default_lock_dir(), timeout=10.0):
        current = _read_json(path)
        if isinstance(current, dict) and current.get("workdir") == workdir:
            os.unlink(path)
            return True
    return False
