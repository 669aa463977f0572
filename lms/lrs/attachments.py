"""Statement attachments: reading and writing `multipart/mixed`, SHA-2 checks, signed statements.

Signed statements are checked as the spec describes: the signature attachment holds a JWS (compact
serialisation) whose algorithm is RS256, RS384 or RS512 and whose payload is the statement as it
was before the signature was attached. When the JWS header carries an `x5c` certificate chain, the
signature is verified with the first certificate's public key; without one there is no key to
verify against, so only the payload is checked (trust in the certificate chain is the client's).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from lms.lrs.statements import same_statement

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
HASH_HEADER = "X-Experience-API-Hash"
_DIGESTS = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}
_JWS_HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}


class AttachmentError(ValueError):
    """The request's attachments do not match its statements (400)."""


@dataclass(frozen=True)
class Part:
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "application/octet-stream")


def boundary_of(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "boundary":
            return value.strip().strip('"')
    raise AttachmentError("a multipart/mixed body needs a boundary parameter")


def parse_multipart(body: bytes, boundary: str) -> list[Part]:
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise AttachmentError("the multipart/mixed body is not closed by its boundary")
    parts = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise AttachmentError("a multipart part is not framed by CRLF")
        inner = chunk[2:-2]
        if inner.startswith(b"\r\n"):
            head, content = b"", inner[2:]
        else:
            head, separator, content = inner.partition(b"\r\n\r\n")
            if not separator:
                raise AttachmentError("a multipart part has no blank line after its headers")
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        parts.append(Part(headers, content))
    return parts


def build_multipart(
    statement_json: bytes, attachments: Iterable[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """The body and Content-Type of a `multipart/mixed` answer: the JSON first, then each
    attachment (sha2, content type, bytes)."""
    boundary = secrets.token_hex(16)
    out = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        statement_json,
        b"\r\n",
    ]
    for sha2, content_type, content in attachments:
        out.append(
            f"--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\n{HASH_HEADER}: {sha2}\r\n\r\n".encode()
        )
        out.extend((content, b"\r\n"))
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f'multipart/mixed; boundary="{boundary}"'


def digest(sha2: str, content: bytes) -> str:
    algorithm = _DIGESTS.get(len(sha2))
    if algorithm is None:
        raise AttachmentError(f"{sha2!r} is not a SHA-2 hash in hexadecimal")
    return algorithm(content).hexdigest()


def parts_by_hash(parts: list[Part]) -> dict[str, tuple[str, bytes]]:
    """Index the attachment parts by their declared hash, after checking each one."""
    found: dict[str, tuple[str, bytes]] = {}
    for index, part in enumerate(parts, start=1):
        declared = part.headers.get(HASH_HEADER.lower())
        if not declared:
            raise AttachmentError(f"multipart part {index} has no {HASH_HEADER} header")
        declared = declared.lower()
        if digest(declared, part.body) != declared:
            raise AttachmentError(f"multipart part {index} does not match its {HASH_HEADER}")
        found[declared] = (part.content_type, part.body)
    return found


def check_attachments(
    statements: list[dict[str, Any]], parts: dict[str, tuple[str, bytes]], held: set[str]
) -> None:
    """Every attachment without a fileUrl needs its content, in this request or already held;
    every part sent must belong to an attachment; signatures must verify."""
    declared: set[str] = set()
    for index, statement in enumerate(statements):
        for position, attachment in enumerate(statement.get("attachments") or ()):
            path = f"statements[{index}].attachments[{position}]"
            sha2 = attachment["sha2"].lower()
            declared.add(sha2)
            if "fileUrl" not in attachment and sha2 not in parts and sha2 not in held:
                raise AttachmentError(f"{path}: no multipart part has the SHA-2 {sha2}")
            if attachment.get("usageType") == SIGNATURE_USAGE:
                content = parts.get(sha2)
                if content is None:
                    raise AttachmentError(f"{path}: the signature must be sent as a part")
                verify_signature(statement, attachment, content[1], path)
    extra = sorted(set(parts) - declared)
    if extra:
        raise AttachmentError(f"multipart part with SHA-2 {extra[0]} matches no attachment")


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def verify_signature(
    statement: dict[str, Any], attachment: dict[str, Any], jws: bytes, path: str
) -> None:
    if attachment.get("contentType") != "application/octet-stream":
        raise AttachmentError(f"{path}.contentType: a signature is application/octet-stream")
    try:
        header_b64, payload_b64, signature_b64 = jws.decode("ascii").strip().split(".")
        header = json.loads(_b64url(header_b64))
        payload = json.loads(_b64url(payload_b64))
        signature = _b64url(signature_b64)
    except (ValueError, UnicodeDecodeError, binascii.Error, RecursionError):
        raise AttachmentError(f"{path}: the signature is not a JWS in compact form") from None
    if not isinstance(header, dict) or header.get("alg") not in _JWS_HASHES:
        raise AttachmentError(f"{path}: the JWS algorithm must be RS256, RS384 or RS512")
    unsigned = dict(statement)
    others = [item for item in statement["attachments"] if item is not attachment]
    if others:
        unsigned["attachments"] = others
    else:
        unsigned.pop("attachments")
    signed = dict(payload) if isinstance(payload, dict) else {}
    if "id" in signed and "id" in unsigned and str(signed["id"]).lower() != unsigned["id"].lower():
        raise AttachmentError(f"{path}: the signed statement has another id")
    if not others:
        signed.pop("attachments", None)
    try:
        same = same_statement(signed, unsigned)
    except ValueError:  # the payload is no statement, e.g. its timestamp is not a timestamp
        same = False
    if not same:
        raise AttachmentError(f"{path}: the JWS payload is not this statement")
    chain = header.get("x5c")
    if chain:
        _verify_with_certificate(
            chain, header["alg"], f"{header_b64}.{payload_b64}".encode(), signature, path
        )


def _verify_with_certificate(
    chain: Any, alg: str, signing_input: bytes, signature: bytes, path: str
) -> None:
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
        key = certificate.public_key()
    except (ValueError, TypeError, IndexError, KeyError, binascii.Error):
        raise AttachmentError(f"{path}: the JWS x5c certificate cannot be read") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise AttachmentError(f"{path}: the x5c certificate does not hold an RSA key")
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), _JWS_HASHES[alg]())
    except InvalidSignature:
        raise AttachmentError(
            f"{path}: the signature does not verify with its certificate"
        ) from None
