"""A releases double in the shape of GitHub's REST API, "Get the latest release"
(docs.github.com/rest/releases/releases#get-the-latest-release):

- `GET /repos/{owner}/{repo}/releases/latest` answers the newest published full release
  (drafts and prereleases are never "latest") as a release object: `id`, `tag_name`, `name`,
  `html_url`, `draft`, `prerelease`, `created_at`, `published_at`, `body`, ...;
- a repository without a published release answers 404 `{"message": "Not Found",
  "documentation_url": ...}`;
- a token is sent as `Authorization: Bearer <token>` (docs.github.com/rest/authentication/
  authenticating-to-the-rest-api); a wrong one answers 401 `{"message": "Bad credentials"}`.

`tag` is the latest tag (None: no release); `token`, when set, is the one accepted.
"""

from __future__ import annotations

from tests.fakes.base import FakeServer, Request, Response, route

DOCS = "https://docs.github.com/rest/releases/releases#get-the-latest-release"


class ReleasesServer(FakeServer):
    name = "releases"

    def __init__(self, tag: str | None = "v0.1.0", token: str = "", **kwargs):
        super().__init__(**kwargs)
        self.tag, self.token = tag, token
        self.owner, self.repo = "immaculaterr", "immaculaterr"

    def latest_url(self) -> str:
        return f"{self.url}/repos/{self.owner}/{self.repo}/releases/latest"

    def authorize(self, req: Request) -> Response | None:
        given = req.headers.get("authorization", "")
        if given and given != f"Bearer {self.token}" or (self.token and not given):
            return Response(401, {"message": "Bad credentials", "documentation_url":
                                  "https://docs.github.com/rest", "status": "401"})
        return None

    @route("GET", r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/releases/latest")
    def latest(self, req: Request, owner: str, repo: str):
        if self.tag is None or (owner, repo) != (self.owner, self.repo):
            return Response(404, {"message": "Not Found", "documentation_url": DOCS,
                                  "status": "404"})
        page = f"https://github.com/{owner}/{repo}/releases/tag/{self.tag}"
        return {"url": f"{self.url}/repos/{owner}/{repo}/releases/1", "html_url": page,
                "id": 1, "tag_name": self.tag, "target_commitish": "main",
                "name": f"Immaculaterr {self.tag}", "draft": False, "prerelease": False,
                "created_at": "2026-11-30T10:00:00Z", "published_at": "2026-11-30T10:05:00Z",
                "assets": [], "body": "What changed."}
