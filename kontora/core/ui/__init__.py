"""Kontora's UI kit: what every list, card and small form of every app draws with.

- `pager`  — one keyset pager (seek pagination on the list's order), its cursors and its links; `Keyset.read`
  pages a hot list through prepared statements (`core/prepared.py`);
- `download` — a stored file given to the browser as a streamed, opaque attachment;
- `submit` — one way a form reaches its service: the service's errors go next to the fields, a saved form
  answers htmx (the modal closes, a list is redrawn, or the page is left) or a plain redirect;
- the field template (`core/forms/base.py`: `KontoraRenderer`, `templates/kontora/field.html`): one markup of a
  labelled field with its red star and error, read-only values as text.

The client registry keeps its own engine (`clients/selectors/registry.py`, `core/prepared.py`): it pages a
million rows through prepared statements in several sort orders, which this pager does not try to be.
"""
