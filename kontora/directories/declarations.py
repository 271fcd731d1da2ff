"""The product's linear directories (one level, no folders), in the order of the Directories menu."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kontora.directories import models as m
from kontora.directories.registry import Directory

LINEAR: tuple[Directory, ...] = (
    Directory("event-types", m.EventType, title=_("Event types")),
    Directory("company-sizes", m.CompanySize, title=_("Company sizes")),
    Directory("information-sources", m.InformationSource, title=_("Information sources")),
    Directory("priorities", m.Priority, title=_("Priorities")),
    Directory("activity-types", m.ActivityType, title=_("Activity types")),
    Directory("client-statuses", m.ClientStatus, title=_("Client statuses")),
    Directory("competitors", m.Competitor, title=_("Competitors")),

    Directory("ladder-stages", m.LadderStage, fields=("name", "order"), title=_("Sales ladder stages"),
              group="ladder"),
    Directory("penetration-depths", m.PenetrationDepth, title=_("Penetration depth"), group="ladder"),
    Directory("contact-reactions", m.ContactReaction, title=_("Reaction to the last contact"), group="ladder"),
    Directory("loyalty", m.Loyalty, title=_("Loyalty"), group="ladder"),
    Directory("prospects", m.Prospect, title=_("Prospects"), group="ladder"),

    Directory("goods-groups", m.GoodsGroup, title=_("Goods groups"), group="goods"),
    Directory("units", m.Unit, fields=("name", "short_name", "okei"), title=_("Units of measure"), group="goods"),
    Directory("vat-rates", m.VatRate, fields=("name", "rate", "valid_from", "valid_to"), title=_("VAT rates"),
              group="goods"),
    Directory("tariffs", m.Tariff, fields=("name", "price"), title=_("Tariffs"), group="goods"),

    Directory("contract-types", m.ContractType, title=_("Contract types"), group="documents"),

    Directory("regions", m.Region, fields=("name", "short_name", "code"), title=_("Regions"), group="geography",
              order_by=("name", "id")),
    Directory("settlements", m.Settlement, fields=("name", "kind", "region", "area", "postal_code"),
              title=_("Populated places"), group="geography", order_by=("name_key", "id")),

    Directory("directions", m.Direction, title=_("Directions of activity"), group="enterprise"),
)
