""""Sign in with Plex": plex.tv PIN → the account's servers → one server and connection.

The account token never reaches the browser or the database in plain text: between steps it
sits in the session encrypted like any Vault secret.
"""

from __future__ import annotations

import hashlib
import time

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from vault import crypto, integrations
from vault.clients import plex
from vault.clients.errors import NotFoundError, ServiceError
from vault.views.integrations import card_context

SESSION_PIN = "vault_plex_pin"
SESSION_TOKEN = "vault_plex_account"
SIGNIN_WAIT = 10 * 60  # seconds: past this the page stops asking plex.tv and says so


def client_identifier() -> str:
    """Stable per install (derived from the master key), so plex.tv lists one device."""
    digest = hashlib.sha256(b"immaculaterr-plex-client:" + crypto.master_key()).hexdigest()
    return f"immaculaterr-{digest[:20]}"


def _render(request, step: str, **context):
    return render(request, "vault/plex_signin.html#" + step, context)


@require_POST
def start(request):
    request.session.pop(SESSION_TOKEN, None)
    try:
        pin = plex.start_pin(client_identifier())
    except ServiceError as exc:
        return _render(request, "failed", message=str(exc))
    request.session[SESSION_PIN] = {"id": pin.id, "code": pin.code, "started": time.time()}
    return _render(request, "waiting", auth_url=pin.auth_url)


def _account_token(request) -> str | None:
    sealed = request.session.get(SESSION_TOKEN)
    if not sealed:
        return None
    try:
        return crypto.decrypt(sealed, "plex", "signin")
    except crypto.DecryptError:
        return None


@require_GET
def poll(request):
    pin = request.session.get(SESSION_PIN)
    if not pin:
        return _render(request, "failed", message="The sign-in was not started (or it "
                                                  "expired). Start it again.")
    if time.time() - pin.get("started", time.time()) > SIGNIN_WAIT:
        request.session.pop(SESSION_PIN, None)
        return _render(request, "failed", message="Nobody approved the sign-in on plex.tv "
                       f"within {SIGNIN_WAIT // 60} minutes, so this page stopped waiting. "
                       "Start it again when you are ready.")
    try:
        token = plex.check_pin(client_identifier(), pin["id"], pin["code"])
    except NotFoundError:
        request.session.pop(SESSION_PIN, None)
        return _render(request, "failed", message="The plex.tv sign-in expired. Start again.")
    except ServiceError as exc:
        return _render(request, "failed", message=str(exc))
    if token is None:
        return _render(request, "waiting", auth_url=None)
    request.session.pop(SESSION_PIN, None)
    request.session[SESSION_TOKEN] = crypto.encrypt(token, "plex", "signin")
    return _servers(request, token)


def _servers(request, token: str):
    try:
        servers = plex.account_servers(token)
    except ServiceError as exc:
        return _render(request, "failed", message=str(exc))
    if not servers:
        return _render(request, "failed", message="This Plex account has no server to "
                                                  "connect to.")
    return _render(request, "servers", servers=servers)


@require_POST
def choose(request):
    token = _account_token(request)
    if token is None:
        return _render(request, "failed", message="The sign-in expired. Start again.")
    machine, _, uri = request.POST.get("connection", "").partition("|")
    try:
        servers = {s.client_identifier: s for s in plex.account_servers(token)}
    except ServiceError as exc:
        return _render(request, "failed", message=str(exc))
    server = servers.get(machine)
    if server is None or uri not in [c.uri for c in server.connections]:
        return _render(request, "servers", servers=list(servers.values()),
                       error="Pick one of the connections listed.")
    integrations.save("plex", True, {"url": uri, "token": server.access_token})
    request.session.pop(SESSION_TOKEN, None)
    return render(request, "vault/index.html#card", {
        "card": card_context("plex", saved=True)})
