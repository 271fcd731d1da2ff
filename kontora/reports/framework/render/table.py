"""The report's table as HTML rows, shared by the screen, the HTML file and the PDF (and so the page images): one
place decides how a group heading, a row, a subtotal and the total look."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html import escape

from kontora.reports.framework.result import GROUP, ROW, SUBTOTAL, TOTAL, Column, Line, Result, cell_text


def head(columns: Sequence[Column], *, sortable: bool = False) -> str:
    cells = []
    for index, column in enumerate(columns):
        classes = ' class="k-num"' if column.numeric else ""
        sort = f' data-k-sort="{index}" data-k-sort-kind="{column.kind}" tabindex="0"' if sortable else ""
        cells.append(f'<th scope="col"{classes}{sort}>{escape(column.label)}</th>')
    return f"<tr>{''.join(cells)}</tr>"


def colgroup(columns: Sequence[Column]) -> str:
    """The columns' widths as shares of the page: the PDF lays the table out by them (a fixed layout) instead of
    measuring every cell of every row first."""
    whole = sum(column.characters for column in columns)
    return "<colgroup>" + "".join(f'<col style="width: {100 * column.characters / whole:.2f}%">'
                                  for column in columns) + "</colgroup>"


def _cells(columns: Sequence[Column], values: Sequence[object], tag: str = "td") -> str:
    cells = []
    for column, value in zip(columns, values, strict=True):
        classes = "k-num" if column.numeric else ("k-pre-wrap" if column.kind == "text" else "k-nowrap")
        cells.append(f'<{tag} class="{classes}">{escape(cell_text(column, value))}</{tag}>')
    return "".join(cells)


def rows(lines: Iterator[Line], columns: Sequence[Column], *, groups: bool = False) -> Iterator[str]:
    """`<tr>`s for the walked lines. With `groups` (the screen), each group's rows carry its number, so a click on
    its heading folds them (behaviours/report-groups.js) and sorting stays within the group."""
    span = len(columns)
    group = 0
    for line in lines:
        if line.kind == GROUP:
            group += 1
            toggle = f' data-k-group-head="{group}" tabindex="0" aria-expanded="true"' if groups else ""
            yield (f'<tr class="k-report-group"{toggle} data-testid="report-group">'
                   f'<th colspan="{span}" scope="rowgroup">{escape(line.label)}</th></tr>')
        elif line.kind == ROW:
            member = f' data-k-group="{group}"' if groups and group else ""
            # keys.js: the row cursor, and Enter or a double click opens the row's page
            opens = f' data-row data-href="{escape(line.href)}"' if line.href else ""
            yield f'<tr data-testid="report-row"{member}{opens}>{_cells(columns, line.values)}</tr>'
        elif line.kind == SUBTOTAL:
            member = f' data-k-group="{group}" data-k-fixed' if groups else ""
            yield f'<tr class="k-report-subtotal k-strong" data-testid="report-subtotal"{member}>' \
                  f'{_cells(columns, line.values)}</tr>'
        elif line.kind == TOTAL:
            yield f'<tr class="k-report-total k-strong" data-testid="report-total">{_cells(columns, line.values)}</tr>'


def editable(result: Result) -> Iterator[str]:
    """The rows of a materialised result as the edit page draws them: every heading and cell editable and named by
    its place (section:row:column); the sums are drawn as they stand and summed again from the edited rows."""
    columns = list(result.columns)
    span = len(columns)
    for number, section in enumerate(result.sections):
        if section.label:
            yield (f'<tr class="k-report-group"><th colspan="{span}" scope="rowgroup" contenteditable="true" '
                   f'data-k-edit="groups" data-k-place="{number}">{escape(section.label)}</th></tr>')
        for index, row in enumerate(section.rows):
            cells = []
            for position, (column, value) in enumerate(zip(columns, row, strict=True)):
                classes = "k-num" if column.numeric else "k-pre-wrap"
                cells.append(f'<td class="{classes}" contenteditable="true" data-k-edit="cells" '
                             f'data-k-place="{number}:{index}:{position}">{escape(cell_text(column, value))}</td>')
            yield f'<tr data-testid="report-row">{"".join(cells)}</tr>'
