"""Attachments (xAPI Part Three, "Attachments" and "Signed Statements"): multipart/mixed requests
checked by SHA-2, `attachments=true` answers, and JWS signatures."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from lms.lrs.attachments import SIGNATURE_USAGE, boundary_of, parse_multipart
from tests.fixtures.lrs_statements import Lrs, statement

PDF = b"%PDF-1.4 certificate of completion \x00\x01\x02\r\n--not-a-boundary\r\n"
BOUNDARY = "xapi-test-boundary"


def attachment(content: bytes, usage: str = "http://example.org/certificate", **extra: Any) -> dict:
    return {
        "usageType": usage,
        "display": {"en": "Certificate"},
        "contentType": extra.pop("contentType", "application/pdf"),
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
        **extra,
    }


def multipart(statements: Any, parts: list[tuple[str, bytes, str | None]]) -> bytes:
    out = [f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode()]
    out.append(json.dumps(statements).encode() + b"\r\n")
    for content_type, content, declared in parts:
        header = f"--{BOUNDARY}\r\nContent-Type: {content_type}\r\n"
        header += "Content-Transfer-Encoding: binary\r\n"
        if declared:
            header += f"X-Experience-API-Hash: {declared}\r\n"
        out.append(header.encode() + b"\r\n" + content + b"\r\n")
    out.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(out)


def post_multipart(lrs: Lrs, body: bytes):  # type: ignore[no-untyped-def]
    return lrs.client.post(
        "/xapi/statements",
        data=body,
        content_type=f"multipart/mixed; boundary={BOUNDARY}",
        headers=lrs.headers,
    )


def test_attachment_round_trip_with_attachments_true(lrs: Lrs) -> None:
    sha2 = hashlib.sha256(PDF).hexdigest()
    body = multipart(statement(attachments=[attachment(PDF)]), [("application/pdf", PDF, sha2)])
    response = post_multipart(lrs, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    [statement_id] = response.get_json()
    plain = lrs.get(statementId=statement_id)
    assert plain.mimetype == "application/json"
    answer = lrs.get(statementId=statement_id, attachments="true")
    assert answer.mimetype == "multipart/mixed"
    parts = parse_multipart(answer.data, boundary_of(answer.headers["Content-Type"]))
    assert json.loads(parts[0].body)["id"] == statement_id
    assert parts[1].body == PDF
    assert parts[1].headers["x-experience-api-hash"] == sha2
    listing = lrs.get(attachments="true")
    assert listing.mimetype == "multipart/mixed"


def test_attachments_true_answers_multipart_even_for_an_empty_page(lrs: Lrs) -> None:
    empty = lrs.get(attachments="true", verb="http://example.org/verbs/never-used")
    assert empty.status_code == 200
    assert empty.mimetype == "multipart/mixed"
    [only] = parse_multipart(empty.data, boundary_of(empty.headers["Content-Type"]))
    assert json.loads(only.body)["statements"] == []


def test_a_part_that_does_not_match_its_hash_is_400(lrs: Lrs) -> None:
    sha2 = hashlib.sha256(PDF).hexdigest()
    body = multipart(
        statement(attachments=[attachment(PDF)]), [("application/pdf", PDF + b"x", sha2)]
    )
    assert post_multipart(lrs, body).status_code == 400
    assert lrs.query_ids() == []


def test_an_attachment_without_content_or_file_url_is_400(lrs: Lrs) -> None:
    response = lrs.post(statement(attachments=[attachment(b"never sent")]))
    assert response.status_code == 400
    assert "attachments[0]" in response.get_json()["error"]["message"]


def test_a_part_no_statement_mentions_is_400(lrs: Lrs) -> None:
    extra = b"stray"
    body = multipart(statement(), [("text/plain", extra, hashlib.sha256(extra).hexdigest())])
    assert post_multipart(lrs, body).status_code == 400


def test_a_file_url_attachment_needs_no_part(lrs: Lrs) -> None:
    remote = attachment(b"remote", fileUrl="https://files.example.org/cert.pdf")
    response = lrs.post(statement(attachments=[remote]))
    assert response.status_code == 200, response.get_data(as_text=True)
    [statement_id] = response.get_json()
    answer = lrs.get(statementId=statement_id, attachments="true")
    [only] = parse_multipart(answer.data, boundary_of(answer.headers["Content-Type"]))
    [stored] = json.loads(only.body)["attachments"]
    assert stored["fileUrl"] == "https://files.example.org/cert.pdf"


@pytest.fixture(scope="module")
def signing_key() -> tuple[rsa.RSAPrivateKey, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mafunzo test signer")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    return key, base64.b64encode(der).decode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(payload: dict, key: rsa.RSAPrivateKey, x5c: str | None, alg: str = "RS256") -> bytes:
    header: dict[str, Any] = {"alg": alg}
    if x5c:
        header["x5c"] = [x5c]
    signing_input = (
        _b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(payload).encode())
    )
    digest = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}
    signature = key.sign(
        signing_input.encode(), padding.PKCS1v15(), digest.get(alg, hashes.SHA256())
    )
    return (signing_input + "." + _b64url(signature)).encode()


def signed_request(original: dict, token: bytes) -> bytes:
    sig = attachment(token, usage=SIGNATURE_USAGE, contentType="application/octet-stream")
    return multipart(
        {**original, "attachments": [sig]},
        [("application/octet-stream", token, sig["sha2"])],
    )


def test_a_signed_statement_that_verifies_is_stored(lrs: Lrs, signing_key) -> None:  # type: ignore[no-untyped-def]
    key, x5c = signing_key
    original = statement(id="0f7b3a2e-1c4d-4e5f-8a9b-0c1d2e3f4a5b")
    token = jws(original, key, x5c, "RS384")
    response = post_multipart(lrs, signed_request(original, token))
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = lrs.get(statementId=original["id"], attachments="true")
    stored, signature = parse_multipart(answer.data, boundary_of(answer.headers["Content-Type"]))
    assert json.loads(stored.body)["attachments"][0]["usageType"] == SIGNATURE_USAGE
    assert signature.body == token


def test_a_signature_over_other_content_is_400(lrs: Lrs, signing_key) -> None:  # type: ignore[no-untyped-def]
    key, x5c = signing_key
    original = statement()
    token = jws(statement(actor="mallory"), key, x5c)
    response = post_multipart(lrs, signed_request(original, token))
    assert response.status_code == 400
    assert "payload" in response.get_json()["error"]["message"]


def test_a_tampered_signature_is_400(lrs: Lrs, signing_key) -> None:  # type: ignore[no-untyped-def]
    key, x5c = signing_key
    original = statement()
    head, payload, signature = jws(original, key, x5c).split(b".")
    forged = head + b"." + payload + b"." + signature[:-6] + b"AAAAAA"
    response = post_multipart(lrs, signed_request(original, forged))
    assert response.status_code == 400
    assert "does not verify" in response.get_json()["error"]["message"]


def test_a_signature_with_an_unsupported_algorithm_is_400(lrs: Lrs, signing_key) -> None:  # type: ignore[no-untyped-def]
    key, x5c = signing_key
    original = statement()
    response = post_multipart(lrs, signed_request(original, jws(original, key, x5c, "HS256")))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "payload_change",
    [{"timestamp": "yesterday"}, {"context": {"registration": 7}}, {"actor": {"member": 3}}],
    ids=["timestamp", "registration", "member"],
)
def test_a_signed_payload_that_is_no_valid_statement_is_400(
    lrs: Lrs,
    signing_key,  # type: ignore[no-untyped-def]
    payload_change: dict,
) -> None:
    key, x5c = signing_key
    original = statement()
    token = jws({**original, **payload_change}, key, x5c)
    response = post_multipart(lrs, signed_request(original, token))
    assert response.status_code == 400
    assert "payload" in response.get_json()["error"]["message"]


def test_a_jws_payload_nested_too_deep_to_read_is_400(lrs: Lrs) -> None:
    nested = _b64url(b"[" * 100_000 + b"]" * 100_000)
    header = _b64url(b'{"alg": "RS256"}')
    token = f"{header}.{nested}.{_b64url(b'sig')}".encode()
    response = post_multipart(lrs, signed_request(statement(), token))
    assert response.status_code == 400
    assert "JWS" in response.get_json()["error"]["message"]
