"""Directions of activity (ORG-03): a one-level directory the administrator keeps and everyone picks from."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kontora.directories.models import Direction


@pytest.mark.feature("ORG-03")
def test_administrator_adds_a_direction_and_a_manager_picks_it(admin_client, manager_client):
    # when the administrator adds a direction through its card
    response = admin_client.post(
        reverse("directories:new", args=["directions"]), {"name": "Техника Hitachi", "is_active": "on", "ok": ""}
    )
    # then it is saved, listed, and offered to a manager's picker by the beginning of its name
    assert response.status_code == 302
    direction = Direction.objects.get(name="Техника Hitachi")
    assert direction.name_key == "техника hitachi"
    assert "Техника Hitachi" in admin_client.get(reverse("directories:list", args=["directions"])).content.decode()
    picked = manager_client.get(reverse("directories:pick", args=["directions"]), {"q": "ТЕХН"})
    assert "Техника Hitachi" in picked.content.decode()


@pytest.mark.feature("ORG-03")
def test_a_manager_cannot_change_directions(manager_client):
    response = manager_client.post(
        reverse("directories:new", args=["directions"]), {"name": "Сервис", "is_active": "on", "ok": ""}
    )
    assert response.status_code == 403
    assert not Direction.objects.filter(name="Сервис").exists()
