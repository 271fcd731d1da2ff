"""Links to many rows of one kind: the URL reversed once, each row's id put in by formatting — reverse() for each of
a list's hundreds of rows costs a tenth of its time."""

from __future__ import annotations

from django.urls import reverse


class IdLink:
    """The address of the URL `name` (whose only argument is an integer id) for any id."""

    def __init__(self, name: str) -> None:
        self.head, self.tail = reverse(name, args=[0]).rsplit("/0/", 1)

    def __call__(self, pk: int) -> str:
        return f"{self.head}/{int(pk)}/{self.tail}"
