"""Rules every /xapi/ request follows, whatever the resource: version header, CORS, the alternate
request syntax, and JSON error bodies.

The alternate syntax (`POST ...?method=PUT` with the headers and body in a form) is undone by a
WSGI middleware, before Flask routes the request, so views only ever see ordinary requests.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, NotFound

VERSION_HEADER = "X-Experience-API-Version"
_VERSION = re.compile(r"^(1\.0|2\.0)(\.\d+)?$")
# What the LRS answers with: the newest patch of the version family the client speaks.
RESPONSE_VERSIONS = {"1.0": "1.0.3", "2.0": "2.0.0"}
# What About lists and a refused version header names: the one list of versions the LRS speaks.
SUPPORTED_VERSIONS = ("1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0")

ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
ALLOWED_HEADERS = (
    "Authorization, Content-Type, Content-Length, If-Match, If-None-Match, Accept, "
    "Accept-Language, X-Experience-API-Version, X-Requested-With"
)
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Cache-Control, Content-Type, Content-Length, WWW-Authenticate, "
    "X-Experience-API-Version, X-Experience-API-Consistent-Through"
)
_ALT_HEADERS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": None,  # recomputed from `content`
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
    "accept-language": "HTTP_ACCEPT_LANGUAGE",
}
_ALT_METHODS = {"GET", "HEAD", "PUT", "POST", "DELETE"}
ALT_ERROR = "mafunzo.xapi.alternate_syntax_error"


def xapi_version() -> str:
    """The version the client speaks, as three parts ("1.0" is read as "1.0.0")."""
    return g.xapi_version


def response_version() -> str:
    return RESPONSE_VERSIONS[xapi_version()[:3]]


def error_response(code: int, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = code
    return response


def install(blueprint: Blueprint) -> None:
    """Attach the request rules to the LRS blueprint (and the middleware to the app using it)."""
    blueprint.record_once(lambda state: _install_middleware(state.app, state.url_prefix or ""))
    blueprint.before_request(_answer_preflight_or_check_version)
    blueprint.after_request(_protocol_headers)
    blueprint.register_error_handler(HTTPException, _http_error)
    # Every method and path under the LRS, even ones no resource takes, reaches the blueprint, so
    # its 404s and 405s are JSON like the rest of the xAPI.
    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT"]
    blueprint.add_url_rule(
        "/", "unknown_resource", _unknown_resource, defaults={"_unknown": ""}, methods=methods
    )
    blueprint.add_url_rule("/<path:_unknown>", "unknown_resource", methods=methods)


def _install_middleware(app: Flask, prefix: str) -> None:
    app.wsgi_app = AlternateSyntaxMiddleware(app.wsgi_app, prefix)  # type: ignore[method-assign]


def _answer_preflight_or_check_version() -> Response | None:
    if request.method == "OPTIONS":
        response = current_app.make_default_options_response()
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
        g.xapi_version = "1.0.3"
        return response
    problem = request.environ.get(ALT_ERROR)
    if problem:
        raise BadRequest(problem)
    header = request.headers.get(VERSION_HEADER, "").strip()
    g.xapi_version = "1.0.3"  # answers even a refused request in a version the client can read
    if request.endpoint == "lrs.about" and not _VERSION.match(header):
        return None  # About is how a client learns the versions: it must not need one
    if not header:
        raise BadRequest(f"the {VERSION_HEADER} header is required")
    match = _VERSION.match(header)
    if not match:
        raise BadRequest(
            f"{VERSION_HEADER} {header!r} is not supported; use one of "
            + ", ".join(SUPPORTED_VERSIONS)
        )
    g.xapi_version = header if match.group(2) else header + ".0"
    if any("\x00" in name or "\x00" in value for name, value in request.args.items(multi=True)):
        raise BadRequest("a query parameter holds the character U+0000")
    return None


def _protocol_headers(response: Response) -> Response:
    response.headers[VERSION_HEADER] = RESPONSE_VERSIONS[g.get("xapi_version", "1.0.3")[:3]]
    origin = request.headers.get("Origin")
    response.headers["Access-Control-Allow-Origin"] = origin or "*"
    if origin:
        response.vary.add("Origin")
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    if code >= 500:
        # Flask has logged the traceback already; the client learns only that it was our fault.
        message = "the LRS failed to answer this request; the error is logged"
    else:
        message = error.description or error.name
    response = error_response(code, message)
    for name, value in error.get_headers():
        if name in ("WWW-Authenticate", "Allow"):
            response.headers[name] = value
    return response


def _unknown_resource(_unknown: str) -> Response:
    """Answer 404, or 405 when the path exists but not with this method."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed: set[str] = set()
    for method in ("GET", "POST", "PUT", "DELETE"):
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            allowed.add(method)
    if allowed:
        if "GET" in allowed:
            allowed.add("HEAD")
        raise MethodNotAllowed(sorted(allowed | {"OPTIONS"}))
    raise NotFound(f"there is no xAPI resource at {request.path}")


class AlternateSyntaxMiddleware:
    """Turns `POST <resource>?method=M` with a form body into the request it stands for."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], prefix: str) -> None:
        self.wsgi_app = wsgi_app
        self.prefix = prefix.rstrip("/") + "/"

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if (
            environ.get("REQUEST_METHOD") == "POST"
            and environ.get("PATH_INFO", "").startswith(self.prefix)
            and "method=" in environ.get("QUERY_STRING", "")
        ):
            query = parse_qsl(environ["QUERY_STRING"], keep_blank_values=True)
            if any(name == "method" for name, _ in query):
                environ = self._rewrite(environ, query)
        return self.wsgi_app(environ, start_response)

    def _rewrite(self, environ: dict[str, Any], query: list[tuple[str, str]]) -> dict[str, Any]:
        environ = dict(environ)
        method = dict(query)["method"].upper()
        if method not in _ALT_METHODS:
            environ[ALT_ERROR] = f"method={method} is not an xAPI method"
            return environ
        if len(query) > 1:
            environ[ALT_ERROR] = (
                "with the alternate request syntax every parameter but method goes in the form body"
            )
            return environ
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            environ[ALT_ERROR] = (
                "the alternate request syntax needs an application/x-www-form-urlencoded body"
            )
            return environ
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            environ[ALT_ERROR] = "the alternate request syntax form body is not UTF-8"
            return environ
        for key in [k for k in environ if k.startswith("HTTP_") and k != "HTTP_HOST"]:
            if key not in ("HTTP_ORIGIN", "HTTP_ACCEPT", "HTTP_USER_AGENT"):
                del environ[key]
        params: list[tuple[str, str]] = []
        content = b""
        environ["CONTENT_TYPE"] = ""
        for name, value in form:
            lowered = name.lower()
            if lowered == "content":
                content = value.encode("utf-8")
            elif lowered in _ALT_HEADERS:
                target = _ALT_HEADERS[lowered]
                if target:
                    environ[target] = value
            else:
                params.append((name, value))
        if content and not environ["CONTENT_TYPE"]:
            environ["CONTENT_TYPE"] = "application/json"
        environ["REQUEST_METHOD"] = method
        environ["QUERY_STRING"] = urlencode(params)
        environ["CONTENT_LENGTH"] = str(len(content))
        environ["wsgi.input"] = io.BytesIO(content)
        return environ
