"""Reads of the project planner (PLN-03): the tree of themes and cases, each item's derived percent, and the
timeline the planner draws.

Project items have no client: anyone signed in views the planner. The whole tree is read in one query and built in
memory (a planner's themes and cases are a few hundred rows, not the base's millions), so the planner and a card
cost the same whatever the number of items. A theme's percent, and that of any case with sub-cases, is derived
here from its cases, weighted by their duration in days (due − start + 1), recursively; it is never stored, so no
write has anything to keep in step (`services.projects`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.http import Http404

from kontora.activity.models import ProjectItem, Task


@dataclass
class Node:
    """One theme or case in the tree, with its derived percent."""

    item: ProjectItem
    depth: int = 0
    children: list[Node] = field(default_factory=list)
    exact: Decimal = Decimal(0)  # percent done, unrounded: a parent weighs its cases' exact figures

    @property
    def days(self) -> int:
        return (self.item.due_on - self.item.starts_on).days + 1

    @property
    def percent(self) -> int:
        return int(self.exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def is_theme(self) -> bool:
        return self.item.parent_id is None

    @property
    def derived(self) -> bool:
        """Its percent comes from its cases (it is not typed)."""
        return bool(self.children)


@dataclass
class Forest:
    roots: list[Node]
    nodes: dict[int, Node]

    def rows(self) -> Iterator[Node]:
        """Every node, a parent before its cases (the planner's order)."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def path(self, node: Node) -> list[Node]:
        """The node's ancestors, its theme first."""
        found = []
        parent_id = node.item.parent_id
        while parent_id is not None and parent_id in self.nodes:
            found.append(self.nodes[parent_id])
            parent_id = self.nodes[parent_id].item.parent_id
        return list(reversed(found))


def _derive(node: Node) -> None:
    """Each node's exact percent, leaves first (iterative: the depth is the users' to choose)."""
    order, stack = [], [node]
    while stack:
        current = stack.pop()
        order.append(current)
        stack.extend(current.children)
    for current in reversed(order):
        if not current.children:
            current.exact = Decimal(current.item.percent)
            continue
        total = sum(child.days for child in current.children)
        current.exact = sum((child.exact * child.days for child in current.children), Decimal(0)) / total


def project_forest() -> Forest:
    """Every theme with its cases, as a tree with derived percents: one query."""
    items = list(ProjectItem.objects.select_related("responsible").order_by("position", "starts_on", "id"))
    nodes = {item.pk: Node(item) for item in items}
    roots = []
    for item in items:
        node = nodes[item.pk]
        parent = nodes.get(item.parent_id) if item.parent_id is not None else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    for root in roots:
        stack = [(root, 0)]
        while stack:
            node, depth = stack.pop()
            node.depth = depth
            stack.extend((child, depth + 1) for child in node.children)
        _derive(root)
    return Forest(roots, nodes)


def access_project_item(forest: Forest, pk: int) -> Node:
    """The item's node, or 404 (anyone signed in views every theme and case)."""
    node = forest.nodes.get(pk)
    if node is None:
        raise Http404
    return node


def item_tasks(visible: QuerySet[Task], item: ProjectItem) -> QuerySet[Task]:
    """The project tasks hanging on the item, among the tasks the user may read (`policies.visible_tasks`)."""
    return visible.filter(case=item).select_related("assignee").order_by("starts_at", "id")


# --- the timeline ---------------------------------------------------------------------------------------------------

ROW_HEIGHT = 18  # px of a row's drawing
SPAN_PX = 900  # about the width a timeline takes before it scrolls


@dataclass(frozen=True)
class Bar:
    x: int
    width: int
    done: int  # the width of its done part


@dataclass(frozen=True)
class Month:
    x: int
    first: datetime.date


@dataclass(frozen=True)
class Timeline:
    """The planner's time axis in pixels: every row's drawing has the same width, so bars line up down the page."""

    first: datetime.date
    last: datetime.date
    day_px: int
    months: list[Month]
    today_x: int | None

    @property
    def width(self) -> int:
        return ((self.last - self.first).days + 1) * self.day_px

    @property
    def height(self) -> int:
        return ROW_HEIGHT

    def bar(self, node: Node) -> Bar:
        x = (node.item.starts_on - self.first).days * self.day_px
        width = node.days * self.day_px
        return Bar(x, width, width * node.percent // 100)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def timeline(nodes: list[Node], today: datetime.date) -> Timeline | None:
    """The axis from the first of the month the earliest item starts in to the end of the month the latest is due,
    scaled so that it takes about SPAN_PX (2–24 px a day); None without items."""
    if not nodes:
        return None
    first = min(node.item.starts_on for node in nodes).replace(day=1)
    last = _next_month(max(node.item.due_on for node in nodes)) - datetime.timedelta(days=1)
    days = (last - first).days + 1
    day_px = max(2, min(24, SPAN_PX // days))
    months, month = [], first
    while month <= last:
        months.append(Month((month - first).days * day_px, month))
        month = _next_month(month)
    today_x = (today - first).days * day_px + day_px // 2 if first <= today <= last else None
    return Timeline(first, last, day_px, months, today_x)
