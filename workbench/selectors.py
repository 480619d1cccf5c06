"""Shaping the to-do list for the workbench page."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lib.workbench import Todo

URGENCY_COLOURS = {0: "primary", 1: "warning", 2: "danger"}


@dataclass(frozen=True)
class TodoGroup:
    """The to-dos of one category, most urgent first, with their total count."""

    category: str
    todos: list[Todo]

    @property
    def count(self) -> int:
        return sum(t.count for t in self.todos)

    @property
    def urgency(self) -> int:
        return max((t.urgency for t in self.todos), default=0)

    @property
    def colour(self) -> str:
        return URGENCY_COLOURS.get(self.urgency, "primary")


def group_todos(todos: list[Todo]) -> list[TodoGroup]:
    """Group to-dos by category, keeping the order in which categories first appear.

    ``todos_for`` sorts most urgent first, so the most urgent category comes first.
    """
    groups: dict[str, list[Todo]] = {}
    for todo in todos:
        groups.setdefault(todo.category or _("Other"), []).append(todo)
    return [TodoGroup(category, items) for category, items in groups.items()]
