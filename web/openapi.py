"""The API's OpenAPI 3.1 document, made from the operations the routes are made from and the options
the exporters declare."""

from __future__ import annotations

from ..accounts.roles import ROLES
from ..exporters import declared_options, load_exporters

PREFIX = "/api/v1"
PROBLEM = ("An error, in words (RFC 9457)", "application/problem+json", {"$ref": "#/components/schemas/Problem"})
STRING_OR_NULL = {"type": ["string", "null"]}
SCHEMAS = {
    "Problem": {"type": "object", "description": "RFC 9457 problem details", "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}}, "required": ["title", "status", "detail"]},
    "Article": {"type": "object", "properties": {
        "slug": {"type": "string"}, "path": {"type": "string"}, "title": {"type": "string"},
        "subtitle": STRING_OR_NULL, "byline": {"type": "string"}, "language": {"type": "string"},
        "published": {"type": ["string", "null"], "format": "date"},
        "added": {"type": ["string", "null"], "format": "date-time"}, "words": {"type": "integer"},
        "minutes": {"type": "integer"}, "site": STRING_OR_NULL, "error": STRING_OR_NULL, "url": {"type": "string"},
        "warnings": {"type": "array", "items": {"type": "string"}}}, "required": ["slug", "title", "url"]},
    "ArticlePage": {"type": "object", "properties": {
        "articles": {"type": "array", "items": {"$ref": "#/components/schemas/Article"}},
        "total": {"type": "integer"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
        "sort": {"type": "string"}}},
    "NewArticle": {"type": "object", "description": "A web page's address to import, or pasted text", "properties": {
        "url": {"type": "string", "format": "uri"}, "text": {"type": "string"},
        "kind": {"type": "string", "enum": ["detect", "md", "txt"]}, "name": {"type": "string"},
        "replace": {"type": "boolean"}}},
    "Book": {"type": "object", "properties": {
        "slug": {"type": "string"}, "title": {"type": "string"},
        "articles": {"type": "array", "items": {"type": "string"}},
        "missing": {"type": "array", "items": {"type": "string"}}, "problem": STRING_OR_NULL,
        "url": {"type": "string"}}},
    "NewBook": {"type": "object", "properties": {
        "title": {"type": "string"}, "articles": {"type": "array", "items": {"type": "string"}}},
        "required": ["title", "articles"]},
    "Job": {"type": "object", "properties": {
        "state": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
        "ahead": {"type": ["integer", "null"]}, "reason": {"type": "string"}, "job": {"type": "string"}}},
}


def edition_options() -> list[dict]:
    """The exporters' own options as query parameters: on/off, or one of their choices."""
    parameters = []
    for option in declared_options().values():
        values = list(option.choices) if option.choices else ["on", "off"]
        parameters.append({"name": option.name, "in": "query", "required": False, "description": option.help,
                           "schema": {"type": "string", "enum": values}})
    return parameters


def document(operations) -> dict:
    """The OpenAPI document of `operations` (the API's `Operation`s), with the problems each may answer."""
    paths: dict[str, dict] = {}
    for operation in operations:
        parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                      for name in _path_names(operation.path)]
        if "format_name" in _path_names(operation.path):
            parameters[-1]["schema"] = {"type": "string", "enum": list(load_exporters())}
            parameters += edition_options()
        parameters += [{"name": name, "in": "query", "required": False, "schema": schema, "description": text}
                       for name, schema, text in operation.query]
        responses = {status: _response(*response) for status, response in operation.responses.items()}
        for status, meaning in (("400", PROBLEM), ("401", PROBLEM), ("403", PROBLEM), ("404", PROBLEM),
                                ("422", PROBLEM)):
            responses.setdefault(status, _response(*meaning))
        entry = {"operationId": operation.view.__name__, "summary": operation.summary,
                 "description": f"Needs the {operation.role} role.", "parameters": parameters,
                 "responses": responses}
        if operation.body:
            entry["requestBody"] = {"required": True, "content": {media: {"schema": schema}
                                                                  for media, schema in operation.body.items()}}
        paths.setdefault(PREFIX + operation.path, {})[operation.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pressroom", "version": "1", "description": "Articles, books and their editions. "
                 f"Roles, from least to most: {', '.join(ROLES[1:])}. Send an API token as "
                 "Authorization: Bearer TOKEN (`pressroom tokens create ACCOUNT`)."},
        "paths": paths,
        "components": {"schemas": SCHEMAS, "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "security": [{"token": []}],
    }


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _response(description: str, media: str | None, schema: dict | None) -> dict:
    found = {"description": description}
    if media:
        found["content"] = {media: {"schema": schema}}
    return found
