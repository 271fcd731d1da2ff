"""The registry of directories (DIR-02): every linear directory of the product is declared."""

from __future__ import annotations

from kontora.directories.models import Unit
from kontora.directories.selectors import registry


def test_every_linear_directory_is_declared_in_the_registry() -> None:
    # then
    keys = {d.model.__name__: d.key for d in registry.all_directories()}
    for name in ("EventType", "CompanySize", "InformationSource", "Priority", "ActivityType", "ClientStatus",
                 "LadderStage", "PenetrationDepth", "ContactReaction", "Loyalty", "Prospect", "Competitor",
                 "Direction", "GoodsGroup", "ContractType", "Tariff", "Unit", "VatRate", "Region"):
        assert name in keys
    assert registry.for_model(Unit).fields == ("name", "short_name", "okei")
    assert str(registry.get("event-types").label) == "События"
