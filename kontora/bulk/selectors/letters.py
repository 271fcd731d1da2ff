"""The placeholders of an individual letter (GRP-03), filled for one recipient: the client, the contact the
address belongs to (his name and patronymic), the client's curator, the office's own organisation."""

from __future__ import annotations

from kontora.bulk.services.plan import MailDraft
from kontora.clients.models import Client, ContactPerson
from kontora.core.models import LegalEntity
from kontora.messaging.services.marketing import html_clean, placeholders_fill
from kontora.messaging.services.sms.parts import Measure, measure


def _name_and_patronymic(full_name: str) -> str:
    """«Иванов Иван Петрович» → «Иван Петрович»: a Russian full name starts with the surname."""
    words = full_name.split()
    return " ".join(words[1:3]) if len(words) >= 2 else full_name.strip()


def organisation_name() -> str:
    """{организация}: the office's default legal entity."""
    return LegalEntity.objects.order_by("-is_default", "pk").values_list("short_name", flat=True).first() or ""


def letter_values(client: Client, address: str, whose: str, organisation: str | None = None) -> dict[str, str]:
    """`organisation` as read once for a run (else read here)."""
    contact = (ContactPerson.objects.filter(client=client, email__iexact=address).order_by("-is_main", "pk")
               .values_list("full_name", flat=True).first())
    curator = client.curator.full_name if client.curator is not None else ""
    return {"client": client.short_name or client.full_name, "contact": _name_and_patronymic(contact or whose),
            "curator": curator, "organisation": organisation_name() if organisation is None else organisation}


def sample_letter(draft: MailDraft, client_id: int, address: str, whose: str) -> tuple[str, str, str]:
    """(subject, text, HTML) of the letter the first recipient would get, as the preview shows it."""
    if not draft.individual:
        return draft.subject, draft.text, html_clean(draft.html)
    client = Client.objects.select_related("curator").get(pk=client_id)
    values = letter_values(client, address, whose)
    return (placeholders_fill(draft.subject, values), placeholders_fill(draft.text, values),
            placeholders_fill(html_clean(draft.html), values, html=True))


def sample_sms(text: str, client_id: int, number: str, whose: str) -> tuple[str, Measure]:
    """The first recipient's SMS as the preview shows it, with its length and parts."""
    client = Client.objects.select_related("curator").get(pk=client_id)
    filled = placeholders_fill(text, letter_values(client, number, whose))
    return filled, measure(filled)
