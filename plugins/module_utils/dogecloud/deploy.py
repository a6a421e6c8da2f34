# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply a DogeCloud deployment: upload -> bind -> confirm -> prune.

The order keeps what is serving: pruning happens only after every binding has
been read back, so a failure at any step leaves the previous certificate bound.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import deploy_plan
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import note as upload_note
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DogeCloudApiError
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.http_client import NetworkError, TransientFaultError


@dataclass(frozen=True)
class DeployRequest:
    local: object  # LocalCertificate
    labels: deploy_plan.Labels
    bind: deploy_plan.BindRequest
    prune: bool

    @property
    def note_prefix(self):
        return self.labels.prefix


def labels_for(local, prefix, note=None, name=None, now=None):
    """The :class:`~deploy_plan.Labels` of a run: a given ``note`` as is, else one composed at ``now``."""
    if name is not None and not upload_note.valid_name(name):
        raise InvalidInputError("certificate_name", "%r cannot go into a note: use at most %d characters, none of "
                                "them a blank or ';'" % (name, upload_note.MAX_NAME_CHARS))
    if note or local is None:
        return deploy_plan.Labels(note=note, prefix=prefix)
    name = name or local.first_name
    return deploy_plan.Labels(note=local.default_note(prefix, int(now.timestamp()), name), prefix=prefix, name=name)


def deploy(client, request, check_mode=False, now=None):
    """Make the certificate deployed and bound; return the module result."""
    certs, domains = client.list_certificates(), client.list_domains()
    plan = deploy_plan.plan_present(request.local, request.labels, certs, domains, request.bind, request.prune)
    result = dict(changed=plan.changed, uploaded=plan.upload, note=plan.note, diff=plan.diff,
                  certificate_id=plan.reuse.id if plan.reuse else None,
                  bound_domains=list(plan.targets), rebound_domains=list(plan.to_bind),
                  skipped_domains=list(plan.skipped), pruned_ids=list(plan.prune_ids),
                  certificate=request.local.facts(now))
    if check_mode:
        return result
    cert_id = plan.reuse.id if plan.reuse else upload_once(client, request)
    fresh_certs, fresh_domains = certs, domains
    for name in plan.to_bind:
        client.bind(cert_id, name)
    if plan.to_bind:
        fresh_domains = confirm_bindings(client, cert_id, plan.targets)
        fresh_certs = client.list_certificates() if request.prune and request.note_prefix else certs
    pruned = prune(client, request, fresh_certs, fresh_domains, cert_id)
    result.update(certificate_id=cert_id, pruned_ids=pruned, changed=bool(plan.upload or plan.to_bind or pruned),
                  diff=deploy_plan.present_diff(plan, request.local, certs, domains, request.note_prefix,
                                                cert_id=cert_id, pruned_ids=pruned))
    return result


def upload_once(client, request):
    """Upload the certificate without ever storing it twice.

    An upload that got a 5xx or no answer may have been stored anyway, so it is
    not blindly repeated: the certificate list is read, and an entry with this
    note, SANs and expiry is taken as the upload; only when there is none is the
    upload sent again (a 429 is retried below this, as it is never processed).
    """
    local = request.local
    deadline = client.retry_deadline()
    attempt = 1
    while True:
        try:
            return client.upload_certificate(request.labels.note, local.chain_pem, local.key_pem)
        except (TransientFaultError, NetworkError):
            stored = deploy_plan.find_reusable(client.list_certificates(), request.labels, local)
            if stored is not None:
                return stored.id
            if attempt >= client.max_attempts or not client.backoff(attempt, deadline):
                raise
            attempt += 1


def confirm_bindings(client, cert_id, targets):
    """Read the domains back; fail (before any pruning) when a binding did not take."""
    domains = client.list_domains()
    actual = {domain.name: domain.cert_id for domain in domains}
    missing = {name: actual.get(name) for name in targets if actual.get(name) != cert_id}
    if missing:
        raise DogeCloudApiError(
            "DogeCloud accepted the binding of certificate %d but the domain list shows %s; nothing was pruned, "
            "the previous certificates stay uploaded; run again to retry"
            % (cert_id, ", ".join("%s still on certificate %s" % item for item in sorted(missing.items()))),
            certificate_id=cert_id, unconfirmed_domains=sorted(missing))
    return domains


def prune(client, request, certs, domains, cert_id):
    if not (request.prune and request.note_prefix):
        return []
    bindings = {domain.name: domain.cert_id for domain in domains}
    doomed = deploy_plan.prune_candidates(certs, domains, bindings, cert_id, request.note_prefix, request.local.sans)
    for doomed_id in doomed:
        client.delete_certificate(doomed_id)
    return list(doomed)


def remove(client, labels, local=None, check_mode=False):
    """``state: absent``: delete the uploads of the certificate when nothing uses them."""
    certs, domains = client.list_certificates(), client.list_domains()
    plan = deploy_plan.plan_absent(certs, domains, labels, local)
    if not check_mode:
        for cert_id in plan.delete_ids:
            client.delete_certificate(cert_id)
    return dict(changed=plan.changed, note=labels.note, deleted_ids=list(plan.delete_ids), diff=plan.diff)
