"""Plain helpers of the clients' tests: the access matrix as data (ACL-01 … ACL-03) — roles × working modes ×
the user's relation to a client, and what the manual allows for each; the crawler's access walk over every
declared exit (`tests.support.matrix`, `core.hooks.EXITS`) reads it — and small builders and valid requisites for
clients in a given state."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils.datastructures import MultiValueDict

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.clients.flexi.selectors.specs import to_q
from kontora.clients.models import Client, ClientFile, ClientFolder
from kontora.clients.selectors.registry import registry_queryset
from kontora.clients.services import files as file_services
from kontora.core import requisites
from kontora.core.models import AuditEvent
from kontora.core.text import search_key
from kontora.directories.models import Attribute, AttributeOption, Region, Settlement
from tests.support.forms import form_data

ROLES = [Role.ADMIN, Role.SUPERVISOR, Role.MANAGER, Role.SPECIALIST]
MODES = [ClientScope.OWN, ClientScope.LIST_ALL, ClientScope.OPEN_ALL, ClientScope.FULL]

# The user's relation to a client. Every "other" party is one stranger, curator of all clients not the user's.
RELATIONS = [
    "curator",  # the user curates it
    "specialist",  # the user is its specialist
    "granted",  # access granted on the card's Access tab, may edit
    "granted_view",  # access granted, view only
    "foreign",  # nothing to do with the user
    "private_other",  # private, another curator
    "private_other_spec",  # private, another curator, the user its specialist: still invisible
    "private_own",  # private, the user is its curator
]

# The manual's rules as data: v = seen in lists and pickers, with the registry's columns only; o = opens the card
# and every client-owned row (contacts, files, tabs, process runs, history); e = edits the card's information;
# m = edits the main data; "-" = nothing at all. Columns: own, list_all, open_all, full. An exit needs one letter
# (core.hooks: SEES v, OPENS o, EDITS e, EDITS_MAIN m): a list shows the client's registry row with "v", and no
# answer ever carries its card data without "o" — not a filter's count by card data, not an export's card
# columns, not a search by a contact's phone, not a process page (issue 11, F2: "list all" opens only own).
# The role does not widen access: every role follows its working mode (administrators too).
EXPECTED: dict[str, tuple[str, str, str, str]] = {
    "curator":            ("voem", "voem", "voem", "voem"),
    "specialist":         ("voem", "voem", "voem", "voem"),
    "granted":            ("voem", "voem", "voem", "voem"),
    "granted_view":       ("vo",   "vo",   "voe",  "voem"),
    "foreign":            ("-",    "v",    "voe",  "voem"),
    "private_other":      ("-",    "-",    "-",    "-"),
    "private_other_spec": ("-",    "-",    "-",    "-"),
    "private_own":        ("voem", "voem", "voem", "voem"),
}

# A process run is seen with its client's card ("o" above) and also by the responsible of the stage it stands on,
# unless its client is another curator's private one: the process hands him the work (processes.policies).
RUN_ON_OWN_STAGE_SEEN: dict[str, bool] = {relation: not relation.startswith("private_other") for relation in RELATIONS}

# --- plain helpers of the card's tests (and of any test that needs a client in a given state) ---

VALID_INN = "7707083893"  # a company's INN with a right check digit (Sberbank's)
VALID_OGRN = "1027700132195"


def company_inn(number: int) -> str:
    """A company's INN with a right check digit, one per `number` (0 … 999): for tests that need several."""
    body = f"7701{number:05d}"
    return body + requisites.inn_check_digits(body)


def make_private(client: Client) -> Client:
    """Marks an existing client private, as a curator with the right would (without the service's checks)."""
    Client.objects.filter(pk=client.pk).update(is_private=True)
    client.refresh_from_db()
    return client


def grant_right(user: Any, code: str) -> None:
    """Gives `user` the additional right `code` (accounts.rights), as Administration → Users would."""
    UserRight.objects.create(user=user, code=code)


def card_post(**fields: Any) -> dict[str, Any]:
    """A hand-made post of a company card: the kind, both names, and the given fields (no read snapshot, so the
    card compares with the values as stored; `card_submit` posts what the page itself offers)."""
    data: dict[str, Any] = {"kind": "company", "short_name": "", "full_name": ""}
    data.update(fields)
    return data


def card_page_data(http: Any, client: Client, *, tabs: Iterable[str] = ()) -> MultiValueDict[str, str]:
    """What the card's one form sends after the user opened `tabs` (their panes load into the form): the page's
    controls and each pane's, read snapshots included, exactly as the browser would post them."""
    data = form_data(http.get(f"/clients/{client.pk}/").content.decode(), "client-card-form")
    for code in tabs:
        pane = http.get(f"/clients/{client.pk}/{code}/")
        assert pane.status_code == 200, (code, pane.status_code)
        for name, values in form_data(pane.content.decode()).lists():
            data.setlist(name, values)
    return data


def card_submit(http: Any, client: Client, changes: Mapping[str, Any] | None = None, *, tabs: Iterable[str] = (),
                ok: bool = False, data: MultiValueDict[str, str] | None = None) -> Any:
    """The user opens the card and the `tabs`, types `changes` (a field's name → its text; True/False ticks or
    clears a box, a list sets a multiple choice) and presses Apply (OK with `ok`)."""
    data = (data if data is not None else card_page_data(http, client, tabs=tabs)).copy()
    for name, value in (changes or {}).items():
        if value is False or value is None:
            data.pop(name, None)
        elif value is True:
            data.setlist(name, ["on"])
        elif isinstance(value, list | tuple):
            data.setlist(name, [str(item) for item in value])
        else:
            data.setlist(name, [str(value)])
    data.setlist("ok" if ok else "apply", ["1"])
    return http.post(f"/clients/{client.pk}/", dict(data.lists()))


# Bank requisites that pass the checks (CLI-07): Sberbank's BIK and correspondent account.
SBER_BIK = "044525225"
SBER_CORR = "30101810400000000225"


def settlement_account(bik: str, start: str = "40702810", tail: str = "00000000001") -> str:
    """A settlement account whose key (the 9th digit) matches the BIK."""
    for key in "0123456789":
        account = start + key + tail
        if requisites.account_key_ok(bik[-3:], account):
            return account
    raise AssertionError("no key digit fits")


def corr_account(bik: str) -> str:
    """A correspondent account whose key matches the BIK."""
    for key in "0123456789":
        account = "30101810" + key + "00000000" + bik[-3:]
        if requisites.account_key_ok("0" + bik[4:6], account):
            return account
    raise AssertionError("no key digit fits")


OKPO = "0018522" + requisites.okpo_check_digit("0018522")  # a company's OKPO with its check digit


def card_history(client: Client) -> QuerySet[AuditEvent]:
    """The card's change history (CLI-12): the audit rows about the client, newest first."""
    return AuditEvent.objects.filter(client_id=client.pk)


def make_attribute(kind: str, label: str, *, active: bool = True, order: int = 0) -> Attribute:
    """A custom attribute of the card (DIR-06)."""
    return Attribute.objects.create(name=label, label=label, kind=kind, is_active=active, order=order)


def attribute_option(attribute: Attribute, name: str) -> AttributeOption:
    return AttributeOption.objects.create(attribute=attribute, name=name, name_key=name.casefold())


def attach_file(user: Any, client: Client, name: str, data: bytes, folder: ClientFolder | None = None) -> ClientFile:
    """A file attached to the card through the Files tab's service (FIL-01)."""
    return file_services.file_upload(acting_user=user, client=client, folder=folder,
                                     upload=SimpleUploadedFile(name, data))



# --- the registry side: the registry's rows, walked page by page -------------------------------------------


def registry_names(html: str) -> list[str]:
    """The names in the registry's rows of a page or partial, in order."""
    return re.findall(r'data-testid="registry-name">([^<]*)<', html)


def registry_walk(http: Any, sort: str) -> list[int]:
    """All ids of the registry in `sort`, page by page, as the "Show more" row asks for them."""
    page = http.get(f"/?sort={sort}").content.decode()
    ids = [int(pk) for pk in re.findall(r'data-row data-id="(\d+)"', page)]
    while True:
        more = re.search(r'hx-get="(/clients/registry/rows/[^"]+)"', page)
        if not more:
            return ids
        page = http.get(more.group(1).replace("&amp;", "&")).content.decode()
        ids += [int(pk) for pk in re.findall(r'data-row data-id="(\d+)"', page)]


def two_towns() -> list[Settlement]:
    """«Москва» and «Тула» of a test region: clients in them get a city key (the registry's City column)."""
    region, _created = Region.objects.get_or_create(
        code="98", defaults={"name": "Тестовый край", "name_key": search_key("Тестовый край"), "short_name": "Тест"})
    return [Settlement.objects.create(region=region, name=name, name_key=search_key(name), kind="г")
            for name in ("Москва", "Тула")]


# A Flexi-filter specification every test of templates reuses: the flagged clients.
FLAGGED_SPEC: dict[str, Any] = {"op": "and", "items": [{"field": "flagged", "operator": "is_true", "value": None}]}


def filtered_names(user: Any, spec: dict[str, Any]) -> list[str]:
    """The short names of the clients `user` sees under a parsed Flexi-filter `spec`, sorted."""
    qs = registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user))
    return sorted(qs.values_list("short_name", flat=True))


def registry_answer(response: Any) -> dict[str, str]:
    """An htmx answer that changes the registry (a filter applied, reset, a template chosen), read as the page sees
    it: the rows for #k-registry-body, and the "N of M" counter and the filter badge swapped out of band."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    rows, oob = page.split("<template>", 1)
    count = re.search(r'<span id="k-registry-count" hx-swap-oob="innerHTML">(.*?)</span><span id="k-flexi-badge"',
                      oob, re.S)
    badge = re.search(r'<span id="k-flexi-badge" hx-swap-oob="innerHTML">(.*)</span></template>', oob, re.S)
    assert count is not None and badge is not None, oob
    return {"rows": rows, "count": counter_text(count[1]), "badge": badge[1]}


def counter_text(html: str) -> str:
    """The registry's "N of M" counter as the user reads it: its text without the markup around the numbers.
    Given a whole page, the counter's span in it."""
    found = re.search(r'data-testid="registry-count">(.*?)</span>\s*<span class="ms-auto"', html, re.S)
    text = found[1] if found else html
    return " ".join(re.sub(r"<[^>]+>", " ", text).replace("\u00a0", " ").split())


def flexi_refusal(response: Any) -> dict[str, Any]:
    """A refused filter: status 422, nothing to swap, the errors in htmx's "k:flexi-refused" event."""
    assert response.status_code == 422, response.status_code
    assert response.content == b""
    return json.loads(response["HX-Trigger"])["k:flexi-refused"]
