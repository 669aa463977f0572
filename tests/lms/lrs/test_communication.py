"""Communication (xAPI Part Three): headers, versioning, CORS, the alternate request syntax,
errors, and resources that do not exist."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest

from tests.fixtures.lrs_statements import Lrs, statement


def test_a_request_without_the_version_header_is_400_with_a_json_reason(lrs: Lrs) -> None:
    headers = {"Authorization": lrs.headers["Authorization"]}
    response = lrs.client.get("/xapi/statements", headers=headers)
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.get_json()["error"]["message"]
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize(
    ("sent", "answered"),
    [("1.0", "1.0.3"), ("1.0.0", "1.0.3"), ("1.0.3", "1.0.3"), ("2.0.0", "2.0.0")],
)
def test_supported_versions_are_accepted_and_answered(lrs: Lrs, sent: str, answered: str) -> None:
    response = lrs.get(headers={"X-Experience-API-Version": sent})
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == answered


@pytest.mark.parametrize("sent", ["0.95", "0.9", "3.0.0", "1.1.0", "latest"])
def test_unsupported_versions_are_refused(lrs: Lrs, sent: str) -> None:
    response = lrs.get(headers={"X-Experience-API-Version": sent})
    assert response.status_code == 400
    assert sent in response.get_json()["error"]["message"]


def test_cors_preflight_allows_the_xapi_headers_from_another_origin(client) -> None:  # type: ignore[no-untyped-def]
    response = client.options(
        "/xapi/statements",
        headers={
            "Origin": "https://content.example.net",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization,x-experience-api-version",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://content.example.net"
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    for header in ("authorization", "x-experience-api-version", "content-type", "if-match"):
        assert header in allowed
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]


def test_cors_exposes_the_xapi_response_headers(lrs: Lrs) -> None:
    response = lrs.get(headers={"Origin": "https://content.example.net"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://content.example.net"
    exposed = response.headers["Access-Control-Expose-Headers"]
    for header in ("ETag", "Last-Modified", "X-Experience-API-Consistent-Through"):
        assert header in exposed


def _alternate(lrs: Lrs, method: str, form: dict[str, str], query: str = ""):  # type: ignore[no-untyped-def]
    fields = {
        "Authorization": lrs.headers["Authorization"],
        "X-Experience-API-Version": "1.0.3",
        **form,
    }
    return lrs.client.post(
        f"/xapi/statements?method={method}{query}",
        data=urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )


def test_alternate_syntax_put_and_get(lrs: Lrs) -> None:
    import json

    statement_id = "6a0a8c62-5f2e-4b0e-9d1f-7b3c2a1d0e9f"
    put = _alternate(
        lrs,
        "PUT",
        {
            "statementId": statement_id,
            "Content-Type": "application/json",
            "content": json.dumps(statement()),
        },
    )
    assert put.status_code == 204
    got = _alternate(lrs, "GET", {"statementId": statement_id})
    assert got.status_code == 200
    assert got.get_json()["id"] == statement_id


def test_a_refused_version_names_the_versions_about_lists(lrs: Lrs) -> None:
    listed = lrs.client.get("/xapi/about", headers=lrs.headers).get_json()["version"]
    refused = lrs.get(headers={"X-Experience-API-Version": "0.95"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["message"].endswith(", ".join(listed))
    for version in listed:
        assert lrs.get(headers={"X-Experience-API-Version": version}).status_code == 200


def test_alternate_syntax_refuses_parameters_outside_the_form(lrs: Lrs) -> None:
    response = _alternate(lrs, "GET", {}, query="&limit=1")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


def test_unknown_resource_is_404_and_wrong_method_405_both_in_json(lrs: Lrs) -> None:
    missing = lrs.client.get("/xapi/nothing-here", headers=lrs.headers)
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == 404
    wrong = lrs.client.delete("/xapi/statements", headers=lrs.headers)
    assert wrong.status_code == 405
    assert wrong.get_json()["error"]["code"] == 405
    assert "GET" in wrong.headers["Allow"]


def test_any_method_or_path_under_the_lrs_gets_a_json_404_or_405(lrs: Lrs) -> None:
    for method, path, code in (
        ("PATCH", "/xapi/statements", 405),
        ("TRACE", "/xapi/about", 405),
        ("GET", "/xapi/", 404),
        ("PATCH", "/xapi/nothing-here", 404),
    ):
        answer = lrs.client.open(path, method=method, headers=lrs.headers)
        assert answer.status_code == code, (method, path)
        assert answer.get_json()["error"]["code"] == code, (method, path)
    assert "PUT" in lrs.client.patch("/xapi/statements", headers=lrs.headers).headers["Allow"]


def test_statements_in_another_content_type_are_400(lrs: Lrs) -> None:
    response = lrs.client.post(
        "/xapi/statements", data="actor=me", content_type="text/plain", headers=lrs.headers
    )
    assert response.status_code == 400


def test_non_utf8_and_binary_garbage_never_cause_a_500(lrs: Lrs) -> None:
    for body in (b"\xff\xfe\x00garbage", b"[" * 5000, b'{"actor": {"mbox": "\\ud800"}}'):
        response = lrs.client.post(
            "/xapi/statements", data=body, content_type="application/json", headers=lrs.headers
        )
        assert 400 <= response.status_code < 500, body[:20]


def test_basic_header_that_is_not_base64_is_401(lrs: Lrs) -> None:
    headers = {**lrs.headers, "Authorization": "Basic %%%"}
    assert lrs.get(headers=headers).status_code == 401
    token = base64.b64encode(b"no-colon").decode()
    assert lrs.get(headers={**lrs.headers, "Authorization": f"Basic {token}"}).status_code == 401


def test_a_nul_character_in_a_parameter_is_400(lrs: Lrs) -> None:
    response = lrs.get(agent={"mbox": "mailto:a\u0000b@example.org"})
    assert response.status_code == 400
