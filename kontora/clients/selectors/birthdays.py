"""Birthdays of clients' contact persons in a period (the report «Дни рождения»). A contact is card data: only
contacts of clients the user may open, and without the right to report on everyone only of his own clients (he
is their curator or specialist)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from kontora.clients import access
from kontora.clients.models import ContactPerson

LONGEST = 366  # days: a period of at most a year, so a birthday falls in it once (twice only on its two ends)


@dataclass(frozen=True)
class Birthday:
    day: datetime.date  # the birthday's date in the period
    born: datetime.date
    full_name: str
    position: str
    phone: str
    email: str
    client_id: int
    client: str
    curator: str

    @property
    def age(self) -> int:
        return self.day.year - self.born.year


def _day_in(year: int, born: datetime.date) -> datetime.date:
    """The birthday in `year`: 29 February falls on the 28th in other years."""
    try:
        return born.replace(year=year)
    except ValueError:
        return datetime.date(year, 2, 28)


def birthdays(user: Any, *, start: datetime.date, end: datetime.date, everyone: bool,
              curator_id: int | None = None) -> list[Birthday]:
    """Each birthday falling in [start, end] (both days included, at most LONGEST days), in date order."""
    if (end - start).days >= LONGEST:
        raise ValueError("a period of more than a year")
    days: dict[int, set[int]] = defaultdict(set)
    day = start
    while day <= end:
        days[day.month].add(day.day)
        if day.month == 2 and day.day == 28:
            days[2].add(29)
        day += datetime.timedelta(days=1)
    when = Q()
    for month, numbers in days.items():
        when |= Q(birthday__month=month, birthday__day__in=sorted(numbers))
    contacts = ContactPerson.objects.filter(when, access.opens_row_client(user)).exclude(birthday=None)
    if not everyone:
        contacts = contacts.filter(Q(client__curator_id=user.pk) | Q(client__specialist_id=user.pk))
    if curator_id is not None:
        contacts = contacts.filter(client__curator_id=curator_id)
    rows = contacts.values_list("birthday", "full_name", "position", "phone_mobile", "phone_office", "email",
                                "client_id", "client__short_name", "client__curator__full_name")
    found = []
    for born, name, position, mobile, office, email, client_id, client, curator in rows.iterator(chunk_size=2000):
        assert born is not None  # excluded above
        for year in range(start.year, end.year + 1):
            occurs = _day_in(year, born)
            if start <= occurs <= end and occurs > born:
                found.append(Birthday(occurs, born, name, position, mobile or office, email, client_id, client,
                                      curator or ""))
    return sorted(found, key=lambda item: (item.day, item.full_name, item.client_id))
