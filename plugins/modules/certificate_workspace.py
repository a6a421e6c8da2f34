#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: certificate_workspace
short_description: A private, exclusive work directory for issuing one certificate on the controller
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - With O(state=present), waits until no other run on this controller works on the certificate
    O(name), then takes its lease and creates a private work directory (mode 0700) for its new key
    and files. Two runs of the same certificate are thus serialised; the second one starts after
    the first one ended and sees what it deployed.
  - The lease and the directory belong to the run (the C(ansible-playbook) process that runs the
    task), not to the task. A lease whose run is gone is taken over.
  - Also removes the work directories of runs that were killed (only directories that this module
    made, owned by this user, whose run is gone and that are older than O(stale_after)), so that no
    private key stays behind.
  - With O(state=absent), removes the work directory O(path) and gives the lease back; with
    O(copy_to), it first keeps a copy of the issued key and certificate files there.
  - The role C(certops.acme.issue_and_deploy) uses it. The work directory and the lease are not a
    managed change; without O(copy_to), C(changed) is always V(false) and it runs the same in check mode.
extends_documentation_fragment:
  - certops.acme.attributes
attributes:
  check_mode:
    description:
      - Runs the same in check mode; the directory is scratch space, removed at the end.
      - With O(copy_to), reports what the copy would change and writes nothing there.
    support: full
  diff_mode:
    description:
      - With O(copy_to), shows the change of C(certificate.json); the key and the certificates are not shown.
      - Without it, nothing to show.
    support: partial
options:
  name:
    description:
      - The certificate the work is for; the lease is per name.
    type: str
    required: true
  state:
    description:
      - V(present) takes the lease and creates the directory, V(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
  path:
    description:
      - The work directory to remove, as returned by O(state=present). Required with O(state=absent).
    type: path
  timeout:
    description:
      - Seconds to wait for another run of the same certificate to end.
    type: float
    default: 900
  stale_after:
    description:
      - Seconds after which a work directory of a run that is gone is removed.
    type: float
    default: 600
  copy_to:
    description:
      - With O(state=absent), before the work directory is removed, copy its C(privkey.pem) (mode 0600),
        C(cert.pem), C(chain.pem) and C(fullchain.pem) (mode 0644) into this directory (mode 0700, made
        with its parents when missing), with O(copy_record) as C(certificate.json) (mode 0644).
      - Each file is written to a new private temporary file beside it and renamed over the old one, so
        the key is never readable by others and a reader sees the old file or the new one; a file whose
        content and mode are already right is not written again, and C(changed) says whether one was.
      - The work directory is removed and the lease given back even when the copy fails.
    type: path
  copy_record:
    description:
      - What to record about the copied certificate in C(certificate.json), written as indented JSON with
        sorted keys. Required with O(copy_to).
    type: dict
notes:
  - The leases live next to the DNS locks, in E(CERTOPS_ACME_LOCK_DIR) when set, else in
    E(XDG_RUNTIME_DIR)C(/certops-acme-locks), else in a per-user directory under the temporary directory.
  - Work directories are made in the temporary directory (E(TMPDIR)) and named C(issue_and_deploy.<name>.*).
"""

EXAMPLES = r"""
- name: Take the lease of www and a work directory
  certops.acme.certificate_workspace:
    name: www
  register: workspace

- name: Give them back
  certops.acme.certificate_workspace:
    name: www
    path: "{{ workspace.path }}"
    state: absent

- name: Give them back, keeping a copy of the issued files in /etc/ssl/acme/www
  certops.acme.certificate_workspace:
    name: www
    path: "{{ workspace.path }}"
    state: absent
    copy_to: /etc/ssl/acme/www
    copy_record:
      serial: "{{ issued.serial }}"
"""

RETURN = r"""
path:
  description: The work directory.
  returned: always
  type: str
  sample: /tmp/issue_and_deploy.www.k2j3h4g5
waited_seconds:
  description: Seconds spent waiting for another run of the same certificate.
  returned: when O(state=present)
  type: float
  sample: 0.0
removed_stale:
  description: Work directories of runs that are gone, removed by this call.
  returned: when O(state=present)
  type: list
  elements: str
  sample: []
copied:
  description:
    - The files written into O(copy_to) (in check mode, that would be written); files already right are not listed.
  returned: when O(copy_to) is given
  type: list
  elements: str
  sample: [privkey.pem, cert.pem, chain.pem, fullchain.pem, certificate.json]
"""

from ansible_collections.certops.acme.plugins.module_utils import workspace
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.module import run_module

SPEC = ArgumentSpec(dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    path=dict(type="path"),
    timeout=dict(type="float", default=900.0),
    stale_after=dict(type="float", default=600.0),
    copy_to=dict(type="path"),
    copy_record=dict(type="dict"),
), required_together=[("copy_to", "copy_record")])


def run(params, context):
    name = params["name"]
    if not name or "/" in name or name.startswith("."):
        raise InvalidInputError("name", "must be a certificate name usable in a file name, got %r" % name)
    if params["copy_to"] and params["state"] != "absent":
        raise InvalidInputError("copy_to", "a copy is kept when the work directory is removed; use it with state=absent")
    if params["state"] == "absent":
        if not params["path"]:
            raise InvalidInputError("path", "give the work directory to remove (path, as returned by state=present)")
        result = dict(changed=False, path=params["path"])
        try:
            if params["copy_to"]:
                diff = workspace.record_diff(params["copy_to"], params["copy_record"]) if context.diff else None
                copied = workspace.keep_copy(params["path"], params["copy_to"], params["copy_record"],
                                             check_mode=context.check_mode)
                result.update(changed=bool(copied), copied=copied)
                if diff is not None and workspace.RECORD_FILE in copied:
                    result.update(diff=diff)
        finally:
            workspace.remove_directory(params["path"])
            workspace.release(name, params["path"])
        return result
    removed = []
    for path in workspace.stale_directories(stale_after=params["stale_after"]):
        workspace.remove_directory(path)
        removed.append(path)
    owner = workspace.run_owner()
    path = workspace.create_directory(owner, name)
    try:
        waited = workspace.acquire(name, owner, path, params["timeout"])
    except BaseException:
        workspace.remove_directory(path)
        raise
    return dict(changed=False, path=path, waited_seconds=round(waited, 3), removed_stale=removed)


LIBRARIES = ()


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
