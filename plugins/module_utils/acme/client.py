# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ACME client of the collection: a thin layer over ``acme.client.ClientV2``.

The ``acme`` library does the protocol (JWS, nonces, account lookup, External
Account Binding, orders, polling, finalization). This layer adds what the
modules need around it:

* TLS trust from ``validate_certs``/``ca_path`` passed as ``verify`` on every
  request, so ``ca_path`` wins over ``REQUESTS_CA_BUNDLE``;
* more than one retry of a ``badNonce`` rejection (a CA may reject good nonces);
* retries of transient faults (429, 5xx, resets, timeouts) on requests that are
  safe to repeat, with the collection's shared :class:`RetryPolicy` (bounded
  exponential backoff, jitter, ``Retry-After``) and injectable clock; new
  orders and account changes are sent once;
* ACME problem documents, validation failures, timeouts and network failures
  mapped onto :class:`CertopsError` with the type and detail per identifier,
  the number of attempts made, and the ``Retry-After`` of a rate limit (new
  orders are never retried);
* small plain-data views (accounts, pending DNS-01 challenges, ARI windows).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import random
import traceback
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import names as acme_names
from ansible_collections.certops.acme.plugins.module_utils.acme.renewal import RenewalWindow
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.http_client import (
    TRANSIENT_STATUSES, NetworkError, attempt_limit, describe_transport_error, parse_retry_after, verify_setting,
    warn_untrusted)
from ansible_collections.certops.acme.plugins.module_utils.retry import Retry, RetryPolicy

try:
    import josepy as jose
    import requests
    from cryptography import x509
    from acme import challenges as acme_challenges
    from acme import client as acme_client
    from acme import crypto_util as acme_crypto_util
    from acme import errors as acme_errors
    from acme import messages
    from acme.client import ClientNetwork
except ImportError:
    HAS_ACME = False
    ACME_IMPORT_ERROR: str | None = traceback.format_exc()
    ClientNetwork = object  # type: ignore[misc,assignment]  # keeps this file importable for the documentation and sanity tools
else:
    HAS_ACME = True
    ACME_IMPORT_ERROR = None

    class RenewalOrder(messages.NewOrder):
        """A newOrder payload with ``replaces`` (RFC 9773 5), which the ``acme`` library does not send."""

        replaces: str | None = jose.field("replaces", omitempty=True)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock

USER_AGENT = "certops.acme"
ACCOUNT_KEY_OPTIONS = "account_key_path/account_key_content"
# A CA may reject good nonces at random; at a 30 % rejection rate ten tries leave
# a 6e-6 chance per request of giving up, six tries 7e-4 (too often over a run).
BAD_NONCE_ATTEMPTS = 10
PROBLEM_PREFIX = "urn:ietf:params:acme:error:"
STATUS_PENDING = "pending"
STATUS_READY = "ready"
STATUS_VALID = "valid"
STATUS_DEACTIVATED = "deactivated"
STATUS_INVALID = "invalid"
STATUS_PROCESSING = "processing"


class AcmeProblem(CertopsError):
    """The CA refused a request with an ACME problem document."""


class CertopsNetwork(ClientNetwork):
    """``ClientNetwork`` with bounded retries and problem annotations.

    Every request goes through :meth:`_retrying`: a ``badNonce`` rejection is
    resent at once (up to ``BAD_NONCE_ATTEMPTS`` sends), a transient fault is
    resent after the shared policy's backoff when the request is safe to
    repeat. A failure that escapes carries ``attempts`` (sends made) and
    ``repeatable`` for the error message.
    """

    def __init__(self, *args: Any, retry: RetryPolicy | None = None, clock: Clock | None = None,
                 rng: random.Random | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry = retry or RetryPolicy()
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()

    def get(self, *args: Any, **kwargs: Any) -> requests.Response:
        return self._retrying(functools.partial(super().get, *args, **kwargs), repeatable=True)

    def head(self, *args: Any, **kwargs: Any) -> requests.Response:
        # The library reads new nonces with HEAD and checks the answer itself;
        # a transient answer is raised here so that it is retried first.
        return self._retrying(functools.partial(self._head_once, *args, **kwargs), repeatable=True)

    def _head_once(self, *args: Any, **kwargs: Any) -> requests.Response:
        response = super().head(*args, **kwargs)
        if response.status_code in TRANSIENT_STATUSES:
            self._check_response(response)  # raises: the answer is not a success
        return response

    def post(self, url: str, obj: Any, *args: Any, **kwargs: Any) -> requests.Response:
        send = functools.partial(self._post_once, url, obj, *args, **kwargs)
        return self._retrying(send, repeatable=safe_to_repeat(obj))

    # The library keeps the unused nonces of the CA's answers in ``_nonces``
    # (decoded) and asks newNonce only when it is empty: a nonce carried from
    # an earlier step, or from a refusal, saves that request.
    def keep_nonce(self, nonce: str) -> None:
        """Use ``nonce`` (as the CA sent it in ``Replay-Nonce``) for a next request; a malformed one is ignored."""
        try:
            self._nonces.add(jose.decode_b64jose(nonce))  # type: ignore[arg-type]  # the stubs say str, it holds bytes
        except (jose.DeserializationError, TypeError, ValueError):
            pass

    def unused_nonce(self) -> str | None:
        """A nonce of the CA that no request used yet (as sent in ``Replay-Nonce``), or ``None``."""
        if not self._nonces:
            return None
        return jose.encode_b64jose(self._nonces.pop())  # type: ignore[arg-type]

    def _retrying(self, send: Callable[[], requests.Response], repeatable: bool) -> requests.Response:
        retry = Retry(self.retry, self.clock, self.rng)
        attempts = bad_nonces = 0
        while True:
            attempts += 1
            try:
                return send()
            except (acme_errors.Error, requests.exceptions.RequestException) as error:
                if getattr(error, "replay_nonce", None):
                    # A refusal carries a fresh nonce too (RFC 8555 6.5): the
                    # next request (the resend of a badNonce) takes it.
                    self.keep_nonce(error.replay_nonce)  # type: ignore[union-attr]
                    error.replay_nonce = None  # type: ignore[union-attr]
                if getattr(error, "attempts", None) is not None:
                    raise  # a nested call (the new-nonce HEAD of a POST) already gave up
                # The library retries a badNonce once; a CA may reject good
                # nonces at random (RFC 8555 7.2), so a few more attempts are
                # allowed. A rejected nonce means the request was not
                # processed: resending is safe, and needs no delay.
                if _is_bad_nonce(error):
                    bad_nonces += 1
                    if bad_nonces < BAD_NONCE_ATTEMPTS:
                        continue
                    error.attempts, error.repeatable = attempts, True  # type: ignore[union-attr]
                    raise
                if not is_transient(error):
                    raise
                retry_after = parse_retry_after(_retry_after_header(error), self.clock.now())
                if not retry.again(retry_after=retry_after, retryable=repeatable,
                                   max_attempts=attempt_limit(error, self.retry.max_attempts)):
                    error.attempts, error.repeatable = attempts, repeatable  # type: ignore[union-attr]
                    raise

    @classmethod
    def _check_response(cls, response: requests.Response, content_type: str | None = None) -> requests.Response:
        try:
            if response.status_code == 409 and _problem_document(response) is not None:
                # The library reads any 409 as "account exists" and drops the
                # problem; a CA says alreadyReplaced (RFC 9773) with a 409 too.
                raise messages.Error.from_json(_problem_document(response))  # type: ignore[arg-type]  # not None: checked above
            return super()._check_response(response, content_type=content_type)
        except messages.Error as error:
            error.http_status = response.status_code
            error.retry_after = response.headers.get("Retry-After")
            error.replay_nonce = response.headers.get("Replay-Nonce")
            raise


def _problem_document(response: requests.Response) -> dict[str, Any] | None:
    """The problem document of an answer (``type`` set), or ``None``."""
    try:
        document = response.json()
    except ValueError:
        return None
    return document if isinstance(document, dict) and document.get("type") else None


def safe_to_repeat(payload: object) -> bool:
    """Whether a POST with ``payload`` may be resent after a transient fault.

    Reads are: POST-as-GET (no payload) and the ``onlyReturnExisting`` account
    lookup. So are the two writes that only move an existing object forward
    (RFC 8555 7.1.6), because a repeat creates nothing and starts no second
    validation or issuance: a challenge that is no longer pending is not
    validated again (the CA answers with its state, or refuses), and an order
    that is no longer ready refuses finalization with ``orderNotReady``, which
    ``finalize_order`` takes as "poll on" (one order issues at most one
    certificate). Everything else is sent once: a repeated
    new order or new account may create a second one and counts against the
    CA's rate limits, and account updates are not needed often enough to
    justify the doubt.
    """
    if payload is None:
        return True
    if isinstance(payload, messages.NewRegistration):
        return bool(payload.only_return_existing)
    return isinstance(payload, (acme_challenges.ChallengeResponse, messages.CertificateRequest))


def is_transient(error: BaseException) -> bool:
    """Whether a failure is a transient fault: 429, 5xx, a reset or a timeout."""
    if isinstance(error, requests.exceptions.SSLError):
        return False  # a TLS trust problem does not go away by itself
    if isinstance(error, (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                          requests.exceptions.ChunkedEncodingError)):
        return True
    return _http_status(error) in TRANSIENT_STATUSES


def _is_bad_nonce(error: BaseException) -> bool:
    return isinstance(error, messages.Error) and error.code == "badNonce"


def _error_response(error: BaseException) -> requests.Response | None:
    """The HTTP answer behind a library ``ClientError`` (a non-JSON error page)."""
    if isinstance(error, acme_errors.ClientError) and error.args and isinstance(error.args[0], requests.Response):
        return error.args[0]
    return None


def _http_status(error: BaseException) -> int | None:
    if isinstance(error, messages.Error):
        return getattr(error, "http_status", None)
    response = _error_response(error)
    return response.status_code if response is not None else None


def _retry_after_header(error: BaseException) -> str | None:
    if isinstance(error, messages.Error):
        return getattr(error, "retry_after", None)
    response = _error_response(error)
    return response.headers.get("Retry-After") if response is not None else None


REQUIRED_RESOURCES = ("newNonce", "newAccount", "newOrder")


def account_jwk(private_key: PrivateKeyTypes) -> tuple[jose.JWK, jose.JWASignature]:
    """``(jwk, alg)`` for an EC or RSA account key."""
    kind = pem.key_type(private_key)
    if kind.startswith("ec"):
        algorithms = {"ec256": jose.ES256, "ec384": jose.ES384, "ec521": jose.ES512}
        if kind not in algorithms:
            raise InvalidInputError(ACCOUNT_KEY_OPTIONS, "EC curve of %s is not usable for ACME; use P-256, P-384 or P-521" % kind)
        return jose.JWKEC(key=private_key), algorithms[kind]
    if kind.startswith("rsa"):
        return jose.JWKRSA(key=private_key), jose.RS256
    raise InvalidInputError(ACCOUNT_KEY_OPTIONS, "a %s key cannot sign ACME requests; use an EC P-256 or RSA key" % kind)


@dataclasses.dataclass(frozen=True)
class Account:
    uri: str | None
    status: str
    contact: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class PendingChallenge:
    """A DNS-01 challenge to publish, in the shape ``gandi_dns_challenge`` takes."""

    identifier: str
    fqdn: str
    value: str
    status: str
    authorization: str
    url: str

    def as_result(self) -> dict[str, Any]:
        return dict(identifier=self.identifier, fqdn=self.fqdn, value=self.value, type="dns-01",
                    status=self.status, authorization=self.authorization, url=self.url)


class AcmeClient:
    """One ACME CA, reached with one account key."""

    def __init__(self, directory_url: str, account_key: PrivateKeyTypes, validate_certs: bool = True, ca_path: str | None = None,
                 timeout: float = 30, network: CertopsNetwork | None = None, retry: RetryPolicy | None = None,
                 clock: Clock | None = None, directory_document: dict[str, Any] | None = None,
                 nonce: str | None = None) -> None:
        if not HAS_ACME:
            raise CertopsError("the Python libraries acme and josepy are required", traceback=ACME_IMPORT_ERROR)
        self.directory_url = directory_url
        warn_untrusted(validate_certs, directory_url)
        self.jwk, alg = account_jwk(account_key)
        self.net = network or CertopsNetwork(
            self.jwk, alg=alg, verify_ssl=verify_setting(validate_certs, ca_path),
            user_agent=USER_AGENT, timeout=timeout, retry=retry, clock=clock)
        self.clock = getattr(self.net, "clock", None) or clock or SystemClock()
        self._client: acme_client.ClientV2 | None = None
        # The directory as the CA served it: given (read by an earlier step) or read on first use.
        self.directory_document = directory_document
        self.assumed_account: Account | None = None
        if nonce and isinstance(self.net, CertopsNetwork):
            self.net.keep_nonce(nonce)

    # -- directory ---------------------------------------------------------
    @property
    def client(self) -> acme_client.ClientV2:
        """The ``ClientV2``, created on first use (one directory GET, none when the document was given)."""
        if self._client is None:
            if self.directory_document is None:
                with acme_failures("read the ACME directory %s" % self.directory_url):
                    self.directory_document = self.net.get(self.directory_url).json()
            with acme_failures("read the ACME directory %s" % self.directory_url):
                directory = messages.Directory.from_json(copy.deepcopy(self.directory_document))
            missing = [name for name in REQUIRED_RESOURCES if not _has_field(directory, name)]
            if missing:
                raise InvalidInputError("directory", "%s does not answer with an ACME directory (no %s); give the CA's "
                                        "directory URL" % (self.directory_url, ", ".join(missing)), missing=missing)
            self._client = acme_client.ClientV2(directory, self.net)
        return self._client

    @property
    def directory(self) -> messages.Directory:
        return self.client.directory

    def meta(self, field: str, default: Any = None) -> Any:
        value = getattr(self.directory.meta, field, None)
        return default if value is None else value

    def has_resource(self, name: str) -> bool:
        return _has_field(self.directory, name)

    def check_profile(self, profile: str) -> None:
        """Fail unless the CA advertises ``profile`` (RFC draft "ACME profiles")."""
        offered = self.meta("profiles") or {}
        if not offered:
            raise InvalidInputError("profile", "the CA does not advertise ACME profiles; remove profile: %s" % profile)
        if profile not in offered:
            raise InvalidInputError("profile", "the CA does not offer profile %r; it offers: %s"
                                    % (profile, ", ".join(sorted(offered))))

    def unused_nonce(self) -> str | None:
        """A nonce no request used yet, for the next step (``None`` when there is none)."""
        if not isinstance(self.net, CertopsNetwork):
            return None  # a network of another kind keeps its nonces to itself
        return self.net.unused_nonce()

    # -- accounts ----------------------------------------------------------
    def assume_account(self, uri: str) -> None:
        """Take ``uri`` as the account of the key (returned by an earlier step): no lookup is made."""
        self.assumed_account = Account(uri=uri, status="valid", contact=())
        self.use_account(uri)

    def find_account(self) -> Account | None:
        """The account of the key, or ``None``; a read (``onlyReturnExisting``), none when the account was given."""
        if self.assumed_account is not None:
            return self.assumed_account
        lookup = messages.NewRegistration(only_return_existing=True)
        self.net.account = None  # newAccount requests are signed with the JWK, never a kid
        try:
            with acme_failures("look up the ACME account of the key"):
                response = self.net.post(self.directory["newAccount"], lookup, new_nonce_url=self.directory["newNonce"])
        except AcmeProblem as problem:
            if problem.details.get("type") == PROBLEM_PREFIX + "accountDoesNotExist":
                return None
            if _says_deactivated(problem.details):
                return Account(uri=None, status=STATUS_DEACTIVATED, contact=())
            raise
        account = _account_from(response.headers.get("Location"), response.json())
        self.use_account(account.uri)
        return account

    def require_account(self) -> Account:
        """The usable account of the key; fail clearly when there is none."""
        account = self.find_account()
        if account is None:
            raise CertopsError("the account key has no ACME account at this CA; create it with "
                               "certops.acme.acme_account (orders need the key that created them)")
        if account.status == STATUS_DEACTIVATED:
            raise CertopsError("the ACME account of this key is deactivated; use another account key")
        return account

    def use_account(self, uri: str | None) -> None:
        """Sign the following requests with the account URL (``kid``)."""
        self.net.account = messages.RegistrationResource(uri=uri, body=messages.Registration())

    def create_account(self, contact: Iterable[str], terms_agreed: bool, eab_kid: str | None = None,
                       eab_hmac_key: str | None = None) -> Account:
        binding = None
        if eab_kid:
            try:
                binding = messages.ExternalAccountBinding.from_data(
                    account_public_key=self.jwk.public_key(), kid=eab_kid, hmac_key=eab_hmac_key,  # type: ignore[arg-type]  # given with eab_kid
                    directory=self.directory)
            except (ValueError, TypeError) as exc:
                raise InvalidInputError("eab_hmac_key", "is not a base64url-encoded key (%s)" % type(exc).__name__) from exc
        registration = messages.NewRegistration.from_data(
            contact=tuple(contact), terms_of_service_agreed=bool(terms_agreed) or None,
            external_account_binding=binding)
        with acme_failures("create the ACME account"):
            regr = self.client.new_account(registration)
        return _account_from(regr.uri, regr.body.to_json())

    def update_contact(self, account: Account, contact: Iterable[str]) -> Account:
        update = messages.UpdateRegistration(contact=tuple(contact))
        with acme_failures("update the contacts of ACME account %s" % account.uri):
            response = self.net.post(account.uri, update, new_nonce_url=self.directory["newNonce"])  # type: ignore[arg-type]  # a live account
        return _account_from(account.uri, response.json())

    def deactivate_account(self, account: Account) -> Account:
        update = messages.UpdateRegistration(status=messages.STATUS_DEACTIVATED)
        with acme_failures("deactivate ACME account %s" % account.uri):
            response = self.net.post(account.uri, update, new_nonce_url=self.directory["newNonce"])  # type: ignore[arg-type]  # a live account
        return _account_from(account.uri, response.json())

    # -- renewal information ----------------------------------------------
    def offers_ari(self) -> bool:
        """Whether the directory advertises ACME Renewal Information (``renewalInfo``)."""
        return self.has_resource("renewalInfo")

    def renewal_window(self, cert_id: str | None) -> RenewalWindow | None:
        """The CA's suggested renewal window (ARI) for the certificate ``cert_id``
        (RFC 9773 identifier), or ``None`` when the CA offers no ARI or no id is known."""
        if not cert_id or not self.offers_ari():
            return None
        url = self.directory["renewalInfo"].rstrip("/") + "/" + cert_id
        with acme_failures("read the renewal information of the current certificate (%s)" % cert_id):
            response = self.net.get(url, content_type="application/json")
            info = messages.RenewalInfo.from_json(response.json())
        return RenewalWindow(start=info.suggested_window.start, end=info.suggested_window.end,
                             explanation_url=response.json().get("explanationURL"))

    # -- orders -------------------------------------------------------------
    def new_order(self, csr_pem: bytes, profile: str | None = None, replaces: str | None = None) -> messages.OrderResource:
        """Create an order; a rate limit fails at once with the CA's detail.

        ``replaces`` (the ARI identifier of the certificate this order renews)
        is sent only when the CA offers ARI (RFC 9773 5). The ``acme`` library
        cannot send it, so the payload is built here: identifiers from the CSR,
        ``profile``, ``replaces``, posted once like the library does.
        """
        if not self.offers_ari():
            replaces = None
        csr = x509.load_pem_x509_csr(csr_pem)
        names, _addresses = acme_crypto_util.get_identifiers_from_x509(csr.subject, csr.extensions)
        identifiers = [messages.Identifier(typ=messages.IDENTIFIER_FQDN, value=name) for name in names]
        payload = RenewalOrder(identifiers=identifiers, profile=profile, replaces=replaces)
        with acme_failures("create an order"):
            response = self.net.post(self.directory["newOrder"], payload, new_nonce_url=self.directory["newNonce"])
            body = messages.Order.from_json(response.json())
            authorizations = [self.load_authorization(url) for url in body.authorizations]
        return messages.OrderResource(body=body, uri=response.headers.get("Location"),
                                      authorizations=authorizations, csr_pem=csr_pem)

    def load_order(self, order_uri: str, authorizations: bool = True) -> messages.OrderResource:
        """The order at ``order_uri`` with its authorizations (POST-as-GET reads; only the order's without them)."""
        with acme_failures("read order %s" % order_uri):
            body = messages.Order.from_json(self._post_as_get(order_uri).json())
            authzrs = [self.load_authorization(url) for url in body.authorizations] if authorizations else []
        return messages.OrderResource(body=body, uri=order_uri, authorizations=authzrs)

    def read_order(self, order_uri: str) -> tuple[messages.Order, float | None]:
        """``(body, retry_after)``: the order alone (one read) and the seconds its ``Retry-After`` asks for."""
        with acme_failures("read order %s" % order_uri):
            response = self._post_as_get(order_uri)
            body = messages.Order.from_json(response.json())
        return body, parse_retry_after(response.headers.get("Retry-After"), self.clock.now())

    def load_authorization(self, url: str) -> messages.AuthorizationResource:
        """The authorization at ``url`` (one POST-as-GET read)."""
        with acme_failures("read authorization %s" % url):
            body = messages.Authorization.from_json(self._post_as_get(url).json())
        return messages.AuthorizationResource(body=body, uri=url)

    def deactivate_authorization(self, authzr: messages.AuthorizationResource) -> str:
        """Deactivate an authorization (RFC 8555 7.5.2); returns its new status."""
        with acme_failures("deactivate authorization %s" % authzr.uri):
            return status_name(self.client.deactivate_authorization(authzr).body)

    def begin_finalization(self, orderr: messages.OrderResource, csr_pem: bytes) -> messages.Order | None:
        """Send the CSR to the order's ``finalize`` URL; an ``orderNotReady`` answer is left to the caller's poll."""
        with acme_failures("finalize order %s" % orderr.uri):
            try:
                return self.client.begin_finalization(orderr.update(csr_pem=csr_pem)).body
            except messages.Error as error:
                if error.code != "orderNotReady":
                    raise
        return None

    def _post_as_get(self, url: str) -> requests.Response:
        return self.net.post(url, None, new_nonce_url=self.directory["newNonce"])

    def pending_challenges(self, orderr: messages.OrderResource) -> list[PendingChallenge]:
        """The DNS-01 challenges of the authorizations that are not valid yet."""
        return [self._dns01(authzr) for authzr in orderr.authorizations
                if status_name(authzr.body) == STATUS_PENDING]

    def _dns01(self, authzr: messages.AuthorizationResource) -> PendingChallenge:
        identifier = authorization_identifier(authzr)
        for challb in authzr.body.challenges:
            if isinstance(challb.chall, acme_challenges.DNS01):
                return PendingChallenge(
                    identifier=identifier, fqdn=acme_names.challenge_fqdn(identifier),
                    value=challb.chall.validation(self.jwk), status=status_name(challb),
                    authorization=authzr.uri, url=challb.uri)
        offered = ", ".join(str(challb.chall.typ) for challb in authzr.body.challenges) or "none"
        raise CertopsError("the CA offers no dns-01 challenge for %s (offered: %s)" % (identifier, offered),
                           identifier=identifier)

    def answer_challenge_at(self, url: str, identifier: str) -> None:
        """Answer the dns-01 challenge at ``url`` (as listed by ``pending_challenges``) with an empty response."""
        with acme_failures("answer the dns-01 challenge of %s" % identifier):
            self.net.post(url, acme_challenges.DNS01Response(), new_nonce_url=self.directory["newNonce"])

    def answer_pending(self, orderr: messages.OrderResource) -> list[str]:
        """Answer each dns-01 challenge still ``pending``; return the identifiers answered."""
        answered = []
        for authzr in orderr.authorizations:
            if status_name(authzr.body) != STATUS_PENDING:
                continue
            for challb in authzr.body.challenges:
                if isinstance(challb.chall, acme_challenges.DNS01) and status_name(challb) == STATUS_PENDING:
                    identifier = authorization_identifier(authzr)
                    with acme_failures("answer the dns-01 challenge of %s" % identifier):
                        self.client.answer_challenge(challb, challb.chall.response(self.jwk))
                    answered.append(identifier)
        return answered

    def download(self, orderr: messages.OrderResource, fetch_alternative_chains: bool = False) -> messages.OrderResource:
        """The certificate of an already valid order (and its alternate chains)."""
        with acme_failures("download the certificate of order %s" % orderr.uri):
            response = self._post_as_get(orderr.body.certificate)  # type: ignore[arg-type]  # a valid order has one
            alternatives = []
            if fetch_alternative_chains:
                alternatives = [self._post_as_get(url).text for url in alternate_links(response)]
        return orderr.update(fullchain_pem=response.text, alternative_fullchains_pem=alternatives)


def _has_field(directory: messages.Directory, name: str) -> bool:
    try:
        directory[name]
    except KeyError:
        return False
    return True


def csr_for(private_key: PrivateKeyTypes, dns_names: Iterable[str]) -> bytes:
    """A PEM CSR for ``dns_names`` signed by ``private_key`` (SANs only, as ACME wants)."""
    return acme_crypto_util.make_csr(pem.dump_private_key(private_key).encode("ascii"), list(dns_names))


def authorization_identifier(authzr: messages.AuthorizationResource) -> str:
    """The requested name of an authorization (``*.`` restored for a wildcard)."""
    value = authzr.body.identifier.value
    return acme_names.WILDCARD_PREFIX + value if authzr.body.wildcard else value


def status_name(body: messages.Order | messages.Authorization | messages.ChallengeBody) -> str:
    """The status of an ACME object as text (``""`` when absent)."""
    return body.status.name if body.status is not None else ""


def alternate_links(response: requests.Response) -> list[str]:
    """URLs of the ``Link: <...>;rel="alternate"`` headers (alternate chains)."""
    links = requests.utils.parse_header_links(response.headers.get("Link", ""))
    return [link["url"] for link in links if link.get("rel") == "alternate" and link.get("url")]


def order_names(orderr: messages.OrderResource) -> list[str]:
    """The DNS names of an order's identifiers."""
    return [identifier.value for identifier in orderr.body.identifiers]


def _says_deactivated(problem: Mapping[str, Any]) -> bool:
    # RFC 8555 7.3.6: requests of a deactivated account fail with "unauthorized";
    # CAs say why only in the detail text.
    return problem.get("type") == PROBLEM_PREFIX + "unauthorized" and "deactivated" in problem.get("detail", "")


def _account_from(uri: str | None, body: Mapping[str, Any] | None) -> Account:
    body = body or {}
    return Account(uri=uri, status=body.get("status", "valid"), contact=tuple(body.get("contact") or ()))


# -- error mapping ---------------------------------------------------------
def describe_problem(error: messages.Error) -> dict[str, Any]:
    """Plain data for one ACME problem document (and its subproblems)."""
    problem: dict[str, Any] = dict(type=str(error.typ), detail=error.detail or error.description or error.title or "")
    if error.identifier is not None:
        problem["identifier"] = error.identifier.value
    if error.subproblems:
        problem["subproblems"] = [describe_problem(sub) for sub in error.subproblems]
    return problem


def problem_text(problem: Mapping[str, Any]) -> str:
    """``type: detail`` with subproblems as ``identifier: type: detail``."""
    kind = problem["type"].replace(PROBLEM_PREFIX, "")
    text = "%s: %s" % (kind, problem["detail"])
    subs = ["%s: %s: %s" % (sub.get("identifier", "?"), sub["type"].replace(PROBLEM_PREFIX, ""), sub["detail"])
            for sub in problem.get("subproblems", ())]
    return "; ".join([text] + subs)


def validation_failures(failed_authzrs: Iterable[messages.AuthorizationResource]) -> list[dict[str, Any]]:
    """``[{identifier, type, detail}]`` for authorizations that turned invalid."""
    failures = []
    for authzr in failed_authzrs:
        identifier = authorization_identifier(authzr)
        errors = [challb.error for challb in authzr.body.challenges if challb.error is not None]
        for error in errors or [None]:  # type: ignore[list-item]
            problem = describe_problem(error) if error is not None else dict(type="", detail="authorization %s" % status_name(authzr.body))
            failures.append(dict(identifier=identifier, type=problem["type"], detail=problem["detail"]))
    return failures


def _problem_error(action: str, error: messages.Error) -> AcmeProblem:
    problem = describe_problem(error)
    details = dict(problem, status=getattr(error, "http_status", None))
    details.update(_attempt_details(error))
    message = "could not %s: the CA answered %s" % (action, problem_text(problem))
    retry_after = getattr(error, "retry_after", None)
    if error.code == "rateLimited" and not getattr(error, "repeatable", False):
        details["retry_after"] = retry_after
        message += "; rate limited, not retrying%s" % (" (retry after %s s)" % retry_after if retry_after else "")
    else:
        message += _attempts_note(error)
    if error.code == "externalAccountRequired":
        message += "; this CA requires External Account Binding: set eab_kid and eab_hmac_key"
    return AcmeProblem(message, **details)


def _attempt_details(error: BaseException) -> dict[str, Any]:
    details = {} if _http_status(error) is None else dict(status=_http_status(error))
    attempts = getattr(error, "attempts", None)
    if attempts is not None:
        details["attempts"] = attempts
    return details


def _attempts_note(error: Any) -> str:
    """How often a transient fault was tried (empty for other failures)."""
    attempts = getattr(error, "attempts", None)
    if attempts is None:
        return ""
    tries = "%d attempt%s" % (attempts, "" if attempts == 1 else "s")
    if not error.repeatable:
        return "; not retried, since a repeat could act twice (%s)" % tries
    return "; gave up after %s" % tries


@contextlib.contextmanager
def acme_failures(action: str) -> Iterator[None]:
    """Map what the ``acme`` library and ``requests`` raise onto :class:`CertopsError`."""
    try:
        yield
    except CertopsError:
        raise
    except messages.Error as error:
        raise _problem_error(action, error) from error
    except acme_errors.ValidationError as error:
        failures = validation_failures(error.failed_authzrs)
        listed = "; ".join("%s: %s: %s" % (f["identifier"], f["type"].replace(PROBLEM_PREFIX, ""), f["detail"])
                           for f in failures)
        raise CertopsError("could not %s: validation failed for %s" % (action, listed), failures=failures) from error
    except acme_errors.TimeoutError as error:
        raise TimeoutExpired("could not %s: the CA did not finish before wait_timeout" % action) from error
    except requests.exceptions.RequestException as error:
        raise NetworkError("could not %s: %s%s" % (action, describe_transport_error(error), _attempts_note(error)),
                           **_attempt_details(error)) from error
    except (acme_errors.Error, jose.DeserializationError, ValueError) as error:
        raise CertopsError("could not %s: %s%s" % (action, _describe_library_error(error), _attempts_note(error)),
                           **_attempt_details(error)) from error


def _describe_library_error(error: BaseException) -> str:
    response = _error_response(error)
    if response is None:
        return str(error)
    return "the CA answered HTTP %d: %s" % (response.status_code, response.text[:300].strip() or "(empty body)")
