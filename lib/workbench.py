"""The workbench registry: each app contributes the to-dos it knows about.

An app registers a provider, a function ``(user) -> list[Todo]``; the workbench page calls
every provider that applies to the user's role and shows the results by urgency. Later
issues (applications, panels, hazards…) add providers without touching the page.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

TodoProvider = Callable[..., list["Todo"]]


@dataclass(frozen=True)
class Todo:
    """One thing waiting for the user: a title, a count, a link, and how urgent it is."""

    title: str
    url: str
    count: int = 1
    detail: str = ""
    due: date | None = None
    urgency: int = 0  # 0 normal, 1 due soon, 2 overdue
    category: str = ""


@dataclass
class _Registration:
    provider: TodoProvider
    roles: frozenset[str] | None
    order: int = field(default=100)


_REGISTRY: list[_Registration] = []


def register(
    *, roles: Iterable[str] | None = None, order: int = 100
) -> Callable[[TodoProvider], TodoProvider]:
    """Register a to-do provider for the given roles (all roles when None)."""

    def decorator(func: TodoProvider) -> TodoProvider:
        _REGISTRY.append(_Registration(func, frozenset(roles) if roles is not None else None, order))
        return func

    return decorator


def todos_for(user) -> list[Todo]:
    """Return the user's to-dos from every provider for their role, most urgent first."""
    items: list[Todo] = []
    for reg in sorted(_REGISTRY, key=lambda r: r.order):
        if reg.roles is None or user.role in reg.roles:
            items.extend(t for t in reg.provider(user) if t.count)
    return sorted(items, key=lambda t: (-t.urgency, t.due or date.max))
