"""The latest release of Immaculaterr, from a releases API in GitHub's shape.

GitHub's REST API, "Get the latest release" (docs.github.com/rest/releases/releases
#get-the-latest-release): `GET /repos/{owner}/{repo}/releases/latest` answers the newest
published, non-draft, non-prerelease release as a JSON object (`tag_name`, `name`, `html_url`,
`published_at`, ...) or 404 when the repository has none. A token goes in
`Authorization: Bearer …`; the version header is `X-GitHub-Api-Version: 2022-11-28`.

One request, no retries: the update check runs off the page's request path and is cached, so
a slow or absent releases host costs one quiet sentence, never a slow page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from vault.clients.errors import (
    AuthError,
    BadResponseError,
    NotFoundError,
    ServiceError,
    UnavailableError,
)
from vault.clients.http import USER_AGENT, PooledSession

SERVICE = "releases"
API_VERSION = "2022-11-28"


@dataclass(frozen=True)
class Release:
    tag: str
    name: str
    url: str  # the release page, http(s) only (never a javascript: link into our page)
    published_at: str


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _session(timeout: float) -> PooledSession:
    # PooledSession without the retrying adapter: one attempt within `timeout` seconds
    found = PooledSession()
    found.service, found.default_timeout = SERVICE, timeout
    found.headers["User-Agent"] = USER_AGENT
    return found


def _fail(status: int, host: str) -> ServiceError:
    if status in (401, 403):
        return AuthError(SERVICE, f"The releases server at {host} refused the request "
                                  f"({status}); check UPDATE_CHECK_TOKEN.", status=status)
    if status == 404:
        return NotFoundError(SERVICE, f"The releases server at {host} has no published "
                                      f"release at that address (404).", status=status)
    return UnavailableError(SERVICE, f"The releases server at {host} answered {status}.",
                            status=status)


def latest(url: str, token: str = "", timeout: float = 6.0) -> Release:
    """The latest release at `url`; raises a ServiceError whose text is a sentence."""
    host = _host(url)
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with _session(timeout) as session:
        try:
            response = session.get(url, headers=headers, timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - timeouts, refusals, DNS: one sentence
            what = f"did not answer within {timeout:g} seconds" \
                if "timeout" in type(exc).__name__.lower() else "could not be reached"
            raise UnavailableError(SERVICE, f"The releases server at {host} {what}.") from exc
    if response.status_code >= 400:
        raise _fail(response.status_code, host)
    try:
        body = response.json()
    except ValueError:
        body = None
    tag = body.get("tag_name") if isinstance(body, dict) else None
    if not isinstance(tag, str) or not tag.strip():
        raise BadResponseError(SERVICE, f"The releases server at {host} sent an answer "
                                        f"without a release tag.")
    page = str(body.get("html_url") or "")
    return Release(tag=tag.strip(), name=str(body.get("name") or tag).strip(),
                   url=page if urlsplit(page).scheme in ("http", "https") else "",
                   published_at=str(body.get("published_at") or ""))
