"""Validate bodies against the published OpenAPI extracts in schemas/*.json.

    validate_request("radarr", "POST", "/api/v3/movie", body)        -> ["sentence", ...]
    validate_response("radarr", "POST", "/api/v3/movie", 201, body)  -> []

Each extract names its source (repository, path, commit). OpenAPI 3.0 is turned into JSON
Schema here: `nullable: true` admits null. Operations outside the extracts answer no errors.

Where the published schema and the real server differ (checked against their sources):
- Radarr/Sonarr document every success as 200; the servers answer POST with 201 and PUT with
  202 (`[RestPostById]`/`[RestPutById]`), so any 2xx is checked against the documented success.
- Radarr's `addOptions` (AddMovieOptions) lists `monitor`, `searchForMovie`, `addMethod` but
  the schema is looser than the server: it does not say which fields the add requires (the
  server's validators want qualityProfileId, rootFolderPath or path, tmdbId).
- POST /api/v3/command: the documented CommandResource has `additionalProperties: false`, but
  both servers read the body as the named command's class (MoviesSearchCommand.MovieIds,
  EpisodeSearchCommand.EpisodeIds, SeriesSearchCommand.SeriesId ...), so the schema is stricter
  than the server; COMMAND_FIELDS below adds those fields, typed, instead of dropping the check.
  Answers carry the command as `body`, whose `Command` schema is closed the same way.
- Overseerr's User.username/plexUsername and MediaRequest.serverId/profileId/rootFolder are
  `@Column({ nullable: true })` in server/entity/User.ts and MediaRequest.ts, and the server
  sends those nulls; the document types them non-null. NULLABLE marks them, nothing else.
- Overseerr answers POST /request with 202 `{message}` when every season is taken already; the
  document lists only 201, so an undocumented 2xx from Overseerr is not checked (Radarr and
  Sonarr, which document only 200, are checked against it for 201/202).
- Sonarr's SeriesResource makes nothing required either; `languageProfileId` is needed on v3
  only, which one document cannot say.
- Overseerr types ids as `number` (floats pass) and `seasons` as numbers or "all"; its
  MediaRequest schema lists only a few fields and allows more.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).with_name("schemas")
SERVICES = ("radarr", "sonarr", "overseerr")


def to_json_schema(node):
    """OpenAPI 3.0 schema → JSON Schema: `nullable` becomes a null alternative."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "example")}
    if node.get("nullable"):
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


@cache
def document(service: str) -> dict:
    return json.loads((SCHEMAS / f"{service}.json").read_text())


@cache
def _templates(service: str) -> list[tuple[re.Pattern, str]]:
    """Templated paths as regexes, literal ones first (movie/editor before movie/{id})."""
    paths = sorted(document(service)["paths"], key=lambda p: (p.count("{"), p))
    return [(re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p)) + "$"), p)
            for p in paths]


IDS = {"type": "array", "items": {"type": "integer"}}
COMMAND_FIELDS = {"movieIds": IDS, "seriesIds": IDS, "episodeIds": IDS,
                  "seriesId": {"type": "integer"}, "seasonNumber": {"type": "integer"}}


def _command_schema(service: str) -> dict:
    """CommandResource, still closed to unknown keys, plus the command classes' fields."""
    resource = document(service)["components"]["schemas"]["CommandResource"]
    return {**resource, "properties": {**resource["properties"], **COMMAND_FIELDS}}


def operation(service: str, method: str, path: str) -> dict | None:
    for rx, template in _templates(service):
        if rx.match(path.rstrip("/") or "/"):
            op = document(service)["paths"][template].get(method.lower())
            if op and template == "/api/v3/command" and method.upper() == "POST":
                op = {**op, "request": _command_schema(service)}
            return op
    return None


NULLABLE = {"overseerr": {"User": ("username", "plexUsername"),
                          "MediaRequest": ("serverId", "profileId", "rootFolder")}}


def _components(service: str) -> dict:
    """The extract's components with the corrections the module docstring lists."""
    root = copy.deepcopy(document(service)["components"])
    schemas = root["schemas"]
    for name, fields in NULLABLE.get(service, {}).items():
        for field in fields:
            schemas[name]["properties"][field]["nullable"] = True
    if "Command" in schemas:
        schemas["Command"]["properties"].update(COMMAND_FIELDS)
    return root


@cache
def _validator(service: str, schema_text: str) -> Draft202012Validator:
    root = _components(service)
    full = {**to_json_schema(json.loads(schema_text)), "components": to_json_schema(root)}
    return Draft202012Validator(full)


def _errors(service: str, schema: dict, body) -> list[str]:
    validator = _validator(service, json.dumps(schema, sort_keys=True))
    return sorted(
        f"{'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message}"
        for e in validator.iter_errors(body)
    )


def validate_request(service: str, method: str, path: str, body) -> list[str]:
    op = operation(service, method, path)
    if op is None or "request" not in op:
        return []
    return [f"{service} {method} {path} request {e}" for e in _errors(service, op["request"],
                                                                       body)]


def validate_response(service: str, method: str, path: str, status: int, body) -> list[str]:
    op = operation(service, method, path)
    if op is None or not 200 <= status < 300:
        return []
    documented = op["responses"]
    schema = documented.get(str(status))
    if schema is None and service != "overseerr":
        schema = next((s for code, s in documented.items() if code.startswith("2")), None)
    if not schema:
        return []
    return [f"{service} {method} {path} {status} {e}"
            for e in _errors(service, schema, body)]
