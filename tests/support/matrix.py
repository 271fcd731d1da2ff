"""The access matrix as a world for the crawler (`tests.support.crawler`), and the check of its answers.

Users of every role in the working modes asked (`FULL_MATRIX`, or `SMALL_MATRIX`), each with a company client of
every relation (`tests.clients.support.RELATIONS`: curator, specialist, granted, foreign, private …) and a person
client of the same relation, and for each client one row of every client-owned model: a contact, a folder and a
file, a bank account, registration data and a change in legal documents, mailing settings and an address, security
and shipping data, a custom attribute's value, a filter template that counts it, two process runs — one
standing on the user's own stage, one on a stranger's — and a letter of the user's own about it; and for each client
(the person too) a group processing run of the user's own with its outcome about it. The "other party" of every
relation is one stranger.

Every client carries markers: its short name «Выход <code>» is its registry row; its card data (full name,
address, e-mail, INN, notes, the contact, the rows of its tabs, its file, what a group processing run changed in
it) carry «ЯЧ<code>», «ya<code>@card.test» or the INN 99<code>. `access_check` compares each answer with `EXPECTED`
(what the exit needs against the user's relation to the object's client) and scans every answer for markers: a
registry marker only of a client the user sees (or whose run stands on his stage), a card marker only of a client
he opens — whatever the exit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client as HttpClient
from django.utils import timezone

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.billing.models import (
    Act,
    ActLine,
    Invoice,
    InvoiceFactura,
    InvoiceFacturaLine,
    InvoiceLine,
    Payment,
    StatementImport,
    StatementLine,
)
from kontora.bulk.models import BulkOutcome, BulkRun
from kontora.clients.models import (
    Client,
    ClientBankAccount,
    ClientFile,
    ClientFolder,
    ClientGrant,
    ClientLegalChange,
    ClientMailing,
    ClientMailingAddress,
    ClientPersonal,
    ClientRegistration,
    ClientSecurity,
    ClientShipping,
    ContactPerson,
    FilterTemplate,
)
from kontora.core.hooks import COUNT, LIST, NOBODY, NOT_PRIVATE, PAGE, ROWS, Exit
from kontora.core.models import BankAccount, LegalEntity
from kontora.core.text import digits
from kontora.directories.models import Attribute, AttributeValue
from kontora.imports.models import Import, ImportRow
from kontora.messaging.models import Letter
from kontora.processes.hooks import MOVES, ON_STAGE
from kontora.processes.models import ProcessRun
from tests.accounts.factories import UserFactory
from tests.activity.factories import EventFactory, TaskFactory
from tests.billing.factories import SaleFactory, WorkFactory, payee
from tests.clients.factories import ClientFactory
from tests.clients.support import EXPECTED, MODES, RELATIONS, ROLES, RUN_ON_OWN_STAGE_SEEN
from tests.processes.factories import ProcessRunFactory, StageFactory
from tests.support.crawler import Visit, Walk, sent_texts
from tests.support.http import signed_in

FULL_MATRIX = [(role, mode) for role in ROLES for mode in MODES]
# One user per role, the four working modes among them: the walk of the roles a database does not take in every
# mode (tests/clients/views/test_access_matrix.py FULL_ROLES) — the rules are the same Python and ORM on both; the
# SQL that differs (searches, counts) is still asked in every mode.
SMALL_MATRIX = [(Role.ADMIN, ClientScope.FULL), (Role.SUPERVISOR, ClientScope.OPEN_ALL),
                (Role.MANAGER, ClientScope.LIST_ALL), (Role.SPECIALIST, ClientScope.OWN)]

REGISTRY_MARK = re.compile(r"Выход (\d+)(?!\d)")
CARD_MARK = re.compile(r"ЯЧ(\d+)|ya(\d+)m?@card\.test|(?<!\d)99(\d{8})(?!\d)")
LETTERS = {"sees": "v", "opens": "o", "edits": "e", "edits_main": "m"}
REACHED = (200, 201, 204, 302)
REFUSED = (403, 404)

# The models a world holds one row of per client: the labels the declared exits may reveal.
MODELS = (
    "clients.Client", "clients.ContactPerson", "clients.ClientFolder", "clients.ClientFile",
    "clients.ClientBankAccount", "clients.ClientRegistration", "clients.ClientLegalChange", "clients.ClientPersonal",
    "clients.ClientMailing", "clients.ClientMailingAddress", "clients.ClientSecurity", "clients.ClientShipping",
    "clients.FilterTemplate", "processes.ProcessRun", "directories.AttributeValue", "activity.Event",
    "activity.Task", "billing.Sale", "billing.Work", "billing.Invoice", "messaging.Letter", "bulk.BulkOutcome",
    "imports.ImportRow", "billing.StatementLine", "billing.Payment", "billing.Act",
    "billing.InvoiceFactura",
)


@dataclass
class World:
    walks: list[Walk]
    owner: dict[int, tuple[int, str]] = field(default_factory=dict)  # client pk → (its subject's pk, relation)
    private: dict[int, bool] = field(default_factory=dict)  # client pk → private?
    by_code: dict[int, int] = field(default_factory=dict)  # client code → client pk
    code_of: dict[int, int] = field(default_factory=dict)  # client pk → code
    counted: dict[int, int] = field(default_factory=dict)  # filter template pk → the client it counts
    with_runs: set[int] = field(default_factory=set)  # the clients with a run on their subject's stage
    _letters: dict[tuple[int, int], str] = field(default_factory=dict)

    def relation(self, user: Any, client_pk: int) -> str:
        """The user's relation to any client of the world: his own ones as built, every other one foreign or
        another curator's private one."""
        owner, relation = self.owner[client_pk]
        if owner == user.pk:
            return relation
        return "private_other" if self.private[client_pk] else "foreign"

    def letters(self, user: Any, client_pk: int) -> str:
        key = (user.pk, client_pk)
        if key not in self._letters:
            self._letters[key] = EXPECTED[self.relation(user, client_pk)][MODES.index(ClientScope(user.client_scope))]
        return self._letters[key]

    def client_of(self, obj: Any) -> int:
        if isinstance(obj, Client):
            return obj.pk
        if isinstance(obj, FilterTemplate):
            return self.counted[obj.pk]
        return int(obj.client_id)

    def run_seen(self, user: Any, run: ProcessRun) -> bool:
        """A run is seen with its client's card, or on the user's own stage unless its client is another curator's
        private one (processes.policies)."""
        on_own_stage = run.responsible_id == user.pk and RUN_ON_OWN_STAGE_SEEN[self.relation(user, run.client_id)]
        return "o" in self.letters(user, run.client_id) or on_own_stage

    def on_stage(self, user: Any) -> set[int]:
        """The clients whose runs stand on the user's stage and show him their registry row."""
        return {pk for pk in self.with_runs
                if self.owner[pk][0] == user.pk and RUN_ON_OWN_STAGE_SEEN[self.owner[pk][1]]}


_code = [5000]


def _next_code() -> int:
    _code[0] += 1
    return _code[0]


def _card_data(code: int) -> dict[str, Any]:
    return {"short_name": f"Выход {code}", "full_name": f"ЯЧ{code} полное наименование",
            "address": f"ЯЧ{code} адрес", "email": f"ya{code}@card.test", "inn": f"99{code:08d}",
            "notes": f"ЯЧ{code} заметка"}


def _client(world: World, user: Any, stranger: Any, relation: str, kind: str) -> Client:
    code = _next_code()
    own_curator = relation in ("curator", "private_own")
    client = ClientFactory(
        code=code, kind=kind, curator=user if own_curator else stranger,
        specialist=user if relation in ("specialist", "private_other_spec") else None,
        private=relation.startswith("private"), **_card_data(code))
    if relation in ("granted", "granted_view"):
        ClientGrant.objects.create(client=client, user=user, can_edit=relation == "granted")
    world.owner[client.pk] = (user.pk, relation)
    world.private[client.pk] = client.is_private
    world.by_code[code] = client.pk
    world.code_of[client.pk] = code
    return client


def _rows(client: Client, attribute: Attribute, pk: int | None = None, author: Any = None) -> dict[str, Any]:
    """One row of every client-owned model of the company client, each with a card marker (all with the primary
    key `pk` when given: a URL's every id then names one of them); its event and task are `author`'s (by default
    the curator's), given to himself."""
    author = author or client.curator
    mark = f"ЯЧ{client.code}"
    phone = f"8 916 {client.code:07d}"
    ids = {} if pk is None else {"pk": pk}
    # born on this day of the month: the birthdays report over these weeks lists the contact to whoever may see it
    today = date.today()
    contact = ContactPerson.objects.create(client=client, full_name=f"{mark} контакт", phone_mobile=phone,
                                           phones_digits=digits(phone), birthday=date(1980, today.month,
                                                                                               min(today.day, 28)),
                                           **ids)
    folder = ClientFolder.objects.create(client=client, name=f"{mark} папка", **ids)
    attached = ClientFile(client=client, name=f"{mark}.txt", size=20, content_type="text/plain", **ids)
    attached.content.save("file.txt", ContentFile(f"{mark} содержимое".encode()), save=True)
    Client.objects.filter(pk=client.pk).update(has_files=True)
    return {
        "clients.Client": client,
        "clients.ContactPerson": contact,
        "clients.ClientFolder": folder,
        "clients.ClientFile": attached,
        "clients.ClientBankAccount": ClientBankAccount.objects.create(
            client=client, bik="044525225", account="40702810400000000001", notes=f"{mark} счёт", **ids),
        "clients.ClientRegistration": ClientRegistration.objects.create(client=client, director=f"{mark} директор"),
        "clients.ClientLegalChange": ClientLegalChange.objects.create(
            client=client, date=date(2024, 1, 1), document=f"{mark} устав", **ids),
        "clients.ClientMailing": ClientMailing.objects.create(client=client),
        "clients.ClientMailingAddress": ClientMailingAddress.objects.create(
            client=client, kind="email", value=f"ya{client.code}m@card.test", value_key=f"ya{client.code}m@card.test",
            **ids),
        "clients.ClientSecurity": ClientSecurity.objects.create(client=client, finances=f"{mark} финансы"),
        "clients.ClientShipping": ClientShipping.objects.create(client=client, consignee=f"{mark} грузополучатель"),
        "directories.AttributeValue": AttributeValue.objects.create(
            attribute=attribute, client_id=client.pk, text=f"{mark} признак", text_key=f"яч{client.code} признак",
            **ids),
        "activity.Event": EventFactory(client=client, author=author, description=f"{mark} событие", **ids),
        "activity.Task": TaskFactory(client=client, author=author, description=f"{mark} задача", **ids),
        "billing.Sale": SaleFactory(client=client, author=author, note=f"{mark} продажа", **ids),
        "billing.Work": WorkFactory(client=client, author=author, description=f"{mark} работа", **ids),
        "billing.Invoice": _invoice(client, author, mark, ids),
        "billing.Payment": _payment(client, author, mark, ids),
    } | _documents(client, author, mark, ids)


def _invoice(client: Client, author: Any, mark: str, ids: dict[str, Any]) -> Invoice:
    """An issued invoice of `author` to the client, dated today, one line, its note a card marker (written directly:
    the world's authors need not edit the client); issued, so that it prints and acts and payments enter on it."""
    entity = LegalEntity.objects.filter(is_default=True).first() or payee()
    today = timezone.localdate()
    invoice = Invoice.objects.create(
        client=client, legal_entity=entity, bank_account=BankAccount.objects.filter(legal_entity=entity).first(),
        date=today, number=client.code, number_year=today.year, prefix="С", status=Invoice.Status.ISSUED,
        net=Decimal("81.97"), vat=Decimal("18.03"), gross=Decimal("100.00"), due=Decimal("100.00"),
        note=f"{mark} счёт", author=author, **ids)
    InvoiceLine.objects.create(invoice=invoice, position=1, name=f"{mark} услуга", quantity=Decimal(1),
                               price=Decimal("100.00"), vat_rate=Decimal(22), net=Decimal("81.97"),
                               vat=Decimal("18.03"), gross=Decimal("100.00"))
    return invoice


def _payment(client: Client, author: Any, mark: str, ids: dict[str, Any]) -> Payment:
    """The client's advance payment (no invoice), by `author`, its payer and note card data."""
    payee = LegalEntity.objects.order_by("id").first() or LegalEntity.objects.create(
        full_name="ООО «Наша контора»", short_name="Наша контора", inn="7707083893", is_default=True)
    return Payment.objects.create(
        client=client, legal_entity=payee, date=date(2026, 1, 15), amount=Decimal("100.00"), number=client.code,
        number_year=2026, payer=f"{mark} плательщик", note=f"{mark} платёж", author=author, **ids)


def _documents(client: Client, author: Any, mark: str, ids: dict[str, Any]) -> dict[str, Any]:
    """An act and an invoice-factura of `author` to the client, entered on their own, each numbered by the client's
    code (one of each per client), their notes and lines card data."""
    entity = LegalEntity.objects.filter(is_default=True).first() or payee()
    today = timezone.localdate()
    common = {"client": client, "legal_entity": entity, "date": today, "number": client.code,
              "number_year": today.year, "author": author}
    money = {"net": Decimal("100.00"), "vat": Decimal("22.00"), "gross": Decimal("122.00")}
    line = {"position": 1, "name": f"{mark} услуга", "quantity": Decimal(1), "price": Decimal("122.00"),
            "vat_rate": Decimal(22), **money}
    act = Act.objects.create(**common, **money, note=f"{mark} акт", **ids)
    ActLine.objects.create(act=act, **line)
    factura = InvoiceFactura.objects.create(**common, **money, note=f"{mark} счёт-фактура",
                                            consignee=f"{mark} грузополучатель", **ids)
    InvoiceFacturaLine.objects.create(factura=factura, **line)
    return {"billing.Act": act, "billing.InvoiceFactura": factura}


def _letter(client: Client, author: Any, pk: int | None = None) -> Letter:
    """A letter of `author` about the client whose fate is unknown (so it may be sent again), with card markers."""
    ids = {} if pk is None else {"pk": pk}
    return Letter.objects.create(
        purpose=Letter.Purpose.TRANSACTIONAL, state=Letter.State.UNKNOWN, author=author, client=client,
        recipient=f"ya{client.code}@card.test", subject=f"ЯЧ{client.code} письмо", text=f"ЯЧ{client.code} текст",
        message_id=f"<{client.code}@card.test>", **ids)


def _outcome(client: Client, author: Any, pk: int | None = None) -> BulkOutcome:
    """A finished group processing run of `author` over the client alone, and its outcome: the client changed, what
    changed with card markers (the page shows the client's name, a registry column, and the changes, card data)."""
    ids = {} if pk is None else {"pk": pk}
    run = BulkRun.objects.create(author=author, selection="отмеченные клиенты", client_ids=[client.pk],
                                 plan={}, **ids)
    return BulkOutcome.objects.create(
        run=run, position=0, client=client, result=BulkOutcome.Result.CHANGED,
        changes=[{"field": "Примечание", "old": f"ЯЧ{client.code} было", "new": f"ЯЧ{client.code} стало"},
                 {"field": "E-mail", "old": "", "new": f"ya{client.code}@card.test"}], **ids)


def _staged(client: Client, author: Any, pk: int | None = None) -> ImportRow:
    """A checked import of `author` whose one row matched the client, to update: the page shows the client's name (a
    registry column) and the changes old → new (card data), only while the author opens the client."""
    ids = {} if pk is None else {"pk": pk}
    run = Import.objects.create(author=author, filename="clients.csv", state=Import.State.CHECKED,
                                mapping={"0": "full_name"}, **ids)
    return ImportRow.objects.create(
        run=run, number=2, values={"full_name": "Строка файла"}, action=ImportRow.Action.UPDATE, client=client,
        changes=[{"field": "notes", "label": "Примечание", "old": f"ЯЧ{client.code} было",
                  "new": f"ЯЧ{client.code} стало"}], **ids)


def _statement_line(client: Client, author: Any) -> StatementLine:
    """A bank statement `author` loaded whose one incoming line was matched to the client (his advance), confirmed
    and not yet recorded: its page names the client only while the author opens it. The bank's text names no
    client's marker (it is the author's own file)."""
    entity = LegalEntity.objects.create(full_name=f"Наша {client.code}", short_name=f"Наша {client.code}",
                                        inn="7707083893")
    account = BankAccount.objects.create(legal_entity=entity, bank_name="Банк", bik="044525225",
                                         account=f"4070281000000{client.code:07d}")
    statement = StatementImport.objects.create(author=author, filename=f"kl_to_1c_{client.code}.txt",
                                               legal_entity=entity, bank_account=account)
    return StatementLine.objects.create(
        statement=statement, position=1, number=str(client.code), date=timezone.localdate(), amount=100,
        payer="Плательщик", purpose="Оплата", match=StatementLine.Match.CLIENT, client=client,
        decision=StatementLine.Decision.RECORD)


def probe(user: Any, pk: int) -> Client:
    """A client of `user` whose every client-owned row has the primary key `pk` (the client itself too), with a
    run on his stage and a filter template counting it: a URL asked with `pk` for every id names one of them."""
    code = _next_code()
    client = ClientFactory(pk=pk, code=code, curator=user, **_card_data(code))
    attribute = Attribute.objects.create(name="Зонд", label="Зонд", kind=Attribute.Kind.TEXT, is_active=True)
    _rows(client, attribute, pk)
    _letter(client, user, pk)
    _outcome(client, user, pk)
    _staged(client, user, pk)
    ProcessRunFactory(pk=pk, stage=StageFactory(responsible=user, is_start=True), client=client, started_by=user,
                      note=f"Ход {code}")
    FilterTemplate.objects.create(pk=pk, owner=user, name=f"Шаблон {code}", spec={
        "op": "and", "items": [{"field": "code", "operator": "eq", "value": code}]})
    return client


def build_world(subjects: list[tuple[str, str]], *, sign_in: bool = True) -> World:
    """The users of `subjects` (role, working mode), signed in (unless asked not to), with their clients and rows
    (see the module)."""
    stranger = UserFactory(login="stranger", full_name="Посторонний Куратор", role=Role.MANAGER,
                           client_scope=ClientScope.FULL)
    their_stage = StageFactory(responsible=stranger, is_start=True)
    attribute = Attribute.objects.create(name="Признак", label="Признак", kind=Attribute.Kind.TEXT, is_active=True)
    world = World(walks=[])
    _code[0] = 5000
    for number, (role, mode) in enumerate(subjects, start=1):
        user = UserFactory(login=f"x{number:02d}", full_name=f"Проверяемый {number:02d}", role=role,
                           client_scope=mode)
        if role != Role.ADMIN:  # administrators export and process groups by their role
            UserRight.objects.create(user=user, code="export_clients")
            UserRight.objects.create(user=user, code="group_processing")
            UserRight.objects.create(user=user, code="import_data")
        UserRight.objects.create(user=user, code="security_decisions")
        my_stage = StageFactory(responsible=user, is_start=True)
        objects: dict[str, list[tuple[str, Any]]] = {label: [] for label in MODELS}
        for relation in RELATIONS:
            company = _client(world, user, stranger, relation, Client.Kind.COMPANY)
            for label, row in _rows(company, attribute, author=stranger).items():
                objects[label].append((relation, row))
            # the user's own letter about it: his outbox shows it while he may open the client
            objects["billing.StatementLine"].append((relation, _statement_line(company, user)))
            objects["messaging.Letter"].append((relation, _letter(company, user)))
            person = _client(world, user, stranger, relation, Client.Kind.PERSON)
            # a run of his own over each of them: its page names the client while he sees it, shows what changed
            # while he opens it
            for processed in (company, person):
                objects["bulk.BulkOutcome"].append((relation, _outcome(processed, user)))
                # and an import of his whose row matched it
                objects["imports.ImportRow"].append((relation, _staged(processed, user)))
            objects["clients.ClientPersonal"].append((relation, ClientPersonal.objects.create(
                client=person, birth_place=f"ЯЧ{person.code} место рождения")))
            template = FilterTemplate.objects.create(owner=user, name=f"Шаблон {company.code}", spec={
                "op": "and", "items": [{"field": "code", "operator": "eq", "value": company.code}]})
            world.counted[template.pk] = company.pk
            objects["clients.FilterTemplate"].append((relation, template))
            world.with_runs.add(company.pk)
            for stage, where in ((my_stage, "on his stage"), (their_stage, "on another's stage")):
                run = ProcessRunFactory(stage=stage, client=company, started_by=stranger,
                                        note=f"Ход {company.code}")
                objects["processes.ProcessRun"].append((f"{relation}, {where}", run))
        world.walks.append(Walk(user=user, http=signed_in(user) if sign_in else HttpClient(), objects=objects))
    return world


# --- the check -------------------------------------------------------------------------------------------------


def wanted(world: World, exit: Exit, user: Any, obj: Any) -> bool:
    """Should `exit` answer `user` about `obj`: the manual's rules (EXPECTED) for the user's relation to the
    object's client, the run's own rule, and the exit's guard."""
    if not exit.who(user):
        return False
    if exit.needs == NOBODY:
        return False
    client_pk = world.client_of(obj)
    if isinstance(obj, ProcessRun):
        seen = world.run_seen(user, obj)
        if exit.needs == MOVES:
            return seen and not obj.is_closed and (obj.responsible_id == user.pk or user.is_admin)
        if exit.needs == ON_STAGE:
            return seen and not obj.is_closed and obj.responsible_id == user.pk
        return seen
    if exit.needs == NOT_PRIVATE:
        return not world.relation(user, client_pk).startswith("private_other")
    return LETTERS[exit.needs] in world.letters(user, client_pk)


def _shows(world: World, obj: Any, body: str) -> bool:
    if isinstance(obj, ProcessRun):
        return f'data-id="{obj.pk}"' in body
    return re.search(rf"Выход {world.code_of[world.client_of(obj)]}(?!\d)", body) is not None


def _counted(body: str) -> bool:
    number = re.search(r"\d[\d\s\u00a0]*", re.sub(r"<[^>]*>", " ", body))
    return number is not None and int(re.sub(r"\D", "", number.group(0))) > 0


def _answered(visit: Visit, *, everywhere: bool) -> str:
    """The answer without what the request itself sent — the user's typing coming back reveals nothing: in the
    form's fields (`value="…"`) only, or `everywhere` (a filter's description repeats its values too)."""
    body = f"{visit.body}\n{visit.data}"  # what a page shows, and the data it hands its scripts
    for text in sent_texts(visit.request):
        body = body.replace(text, "") if everywhere else body.replace(f'value="{text}"', "")
    return body


def _leaks(world: World, visit: Visit, body: str, typed: str) -> list[str]:
    """Markers of clients the user may not see (a registry marker, in `body`) or open (a card marker, in `typed`:
    the answer without anything the request sent), in any answer."""
    user = visit.walk.user
    found: list[str] = []
    stage = world.on_stage(user)
    for match in REGISTRY_MARK.finditer(body):
        pk = world.by_code.get(int(match.group(1)))
        if pk is None or "v" in world.letters(user, pk) or pk in stage:
            continue
        if visit.exit.needs == NOT_PRIVATE and pk == world.client_of(visit.obj):
            continue
        found.append(f"{visit.where()}: shows the registry row of {world.relation(user, pk)} client {match.group(1)}")
    for match in CARD_MARK.finditer(typed):
        code = int(next(group for group in match.groups() if group))
        pk = world.by_code.get(code)
        if pk is not None and "o" not in world.letters(user, pk):
            found.append(f"{visit.where()}: shows card data {match.group(0)!r} of {world.relation(user, pk)} client")
    return sorted(set(found))


def access_check(world: World) -> Any:
    """The check of the access matrix: each answer as the manual's rules want it, and no marker leaks."""

    def check(visit: Visit) -> list[str]:
        user, exit = visit.walk.user, visit.exit
        if visit.status not in REACHED + REFUSED:
            return [f"{visit.where()}: status {visit.status}"]
        body = _answered(visit, everywhere=False)
        problems = _leaks(world, visit, body, _answered(visit, everywhere=True)) if visit.status in REACHED else []
        ok = visit.status in REACHED
        if exit.answer == LIST:
            if ok != exit.who(user):
                problems.append(f"{visit.where()}: status {visit.status}")
            return problems
        for tag, obj in visit.objects:
            want = wanted(world, exit, user, obj)
            if exit.answer == PAGE:
                got = ok
            elif exit.answer == ROWS:
                got = ok and visit.status == 200 and _shows(world, obj, body)
            elif exit.answer == COUNT:
                got = ok and _counted(body)
            else:
                raise AssertionError(f"{exit.name}: unknown answer {exit.answer!r}")
            if got != want:
                problems.append(f"{visit.where()} × {tag}: got {got}, want {want} (status {visit.status})")
        return problems

    return check
