"""A change from a stale form of a billing document — an invoice, an act, an invoice-factura — merged field by field
(core.conflicts): the form's `Edit` names the fields the user changed, the lines among them as one value (`TABLE`,
compared whole); under the document's lock the services check it against what others saved since and take only
those fields over the document as kept now."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from kontora.core import conflicts
from kontora.core.conflicts import Edit

TABLE = "table"  # the form's value that is the lines, compared whole
Typed = TypeVar("Typed")


def checked(edit: Edit | None, record: Any) -> list[str]:
    """The fields the user changed, after checking them against what others saved since he read them (EditConflict
    when both changed one field, or both the lines); call under the record's lock. Without an edit: none."""
    if edit is None:
        return []
    conflicts.check([edit], record, target=record)
    return list(edit.typed)


def merged(kept: Typed, typed: Typed, changed: Iterable[str], fields: Sequence[str],
           lines: str | None = "lines") -> Typed:
    """`kept` (the document as kept now) with the `fields` the user changed taken from `typed`, and its `lines` when
    he changed the table: whatever another user saved in the other fields stays."""
    changed = set(changed)
    taken: dict[str, Any] = {name: getattr(typed, name) for name in fields if name in changed}
    if lines is not None and TABLE in changed:
        taken[lines] = getattr(typed, lines)
    return replace(kept, **taken)  # type: ignore[type-var]
