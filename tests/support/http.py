"""Requests as a signed-in user."""

from __future__ import annotations

from typing import Any

from django.test import Client

PASSWORD = "Kontora-test-1"  # every factory-made user's password


def signed_in(user: Any, password: str = PASSWORD) -> Client:
    """A test client with `user`'s session, signed in through the real sign-in page."""
    client = Client()
    response = client.post("/login/", {"login": user.login, "password": password})
    assert response.status_code == 302, response.content[:500]
    return client


def html(response: Any) -> str:
    return str(response.content.decode())
