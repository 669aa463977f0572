"""The LMS's public address: the xAPI account home page of every learner."""

from __future__ import annotations

from flask import current_app


def home_page() -> str:
    """`PUBLIC_URL` (default http://localhost:5000/). It names every learner's xAPI account, so
    it is read from configuration, never from the request, and must not change later."""
    return (current_app.config.get("PUBLIC_URL") or "http://localhost:5000").rstrip("/") + "/"
