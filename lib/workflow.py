"""Explicit state machines: a transitions table per stateful model, applied by compare-and-set.

A flow lists every allowed move (name, source states, target state, roles, label). The
services call ``apply_transition``, which checks the role and the source state, then
updates the row only if it is still in that state (``filter(pk, status=old).update(...)``):
of two simultaneous clicks exactly one wins, and the other gets ``StaleState``. When the
flow names a log model, a row is written per transition — the case's history is data.
Auditing stays with the calling service (lib imports no app).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


class TransitionError(Exception):
    """A transition that cannot be applied; ``message`` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleState(TransitionError):
    """The object left the source state meanwhile (another click or user got there first)."""


Guard = Callable[[Any, Any], str | None]  # (obj, actor) -> refusal message, or None to allow


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str = ""
    guards: tuple[Guard, ...] = ()


def T(
    name: str,
    sources: Iterable[str],
    target: str,
    *,
    roles: Iterable[str],
    label: str = "",  # noqa: N802
    guards: Iterable[Guard] = (),
) -> Transition:
    """Declare one move of a transitions table (the table reads like the workflow)."""
    return Transition(name, frozenset(sources), target, frozenset(roles), label, tuple(guards))


@dataclass
class Flow:
    """The transitions of one model; later issues add moves with ``extend`` without rewriting it."""

    transitions: dict[str, Transition] = field(default_factory=dict)
    status_field: str = "status"
    log_model: type[models.Model] | None = None
    log_fk: str = "subject"

    def extend(self, *transitions: Transition) -> "Flow":
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"transition {t.name!r} is defined twice")
            self.transitions[t.name] = t
        return self

    def add_sources(self, name: str, *states: str) -> "Flow":
        """Let an existing move start from more states (a later issue's new states can be withdrawn)."""
        t = self.transitions[name]
        self.transitions[name] = Transition(
            t.name, t.sources | frozenset(states), t.target, t.roles, t.label, t.guards
        )
        return self

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def states(self) -> set[str]:
        found = set()
        for t in self.transitions.values():
            found |= t.sources | {t.target}
        return found


def flow(
    *transitions: Transition, status_field: str = "status", log_model=None, log_fk: str = "subject"
) -> Flow:
    return Flow(status_field=status_field, log_model=log_model, log_fk=log_fk).extend(*transitions)


def refusal(
    obj, transition: Transition, actor, *, role: str | None = None, status_field: str = "status"
) -> str | None:
    """Return why ``actor`` may not apply ``transition`` to ``obj`` now, or None if they may."""
    if (role or getattr(actor, "role", None)) not in transition.roles:
        return _("Your role may not do this.")
    state = getattr(obj, status_field)
    if state not in transition.sources:
        return _("This cannot be done in the current state.")
    for guard in transition.guards:
        message = guard(obj, actor)
        if message:
            return message
    return None


def available_transitions(obj, workflow: Flow, actor, *, role: str | None = None) -> list[Transition]:
    """Return the moves the actor may make now (these drive the buttons)."""
    return [
        t
        for t in workflow.transitions.values()
        if refusal(obj, t, actor, role=role, status_field=workflow.status_field) is None
    ]


def apply_transition(
    obj: models.Model,
    workflow: Flow,
    name: str,
    *,
    actor,
    comment: str = "",
    data: dict | None = None,
    role: str | None = None,
    extra_updates: dict | None = None,
    check_guards: Iterable[Guard] = (),
):
    """Move ``obj`` along transition ``name`` by compare-and-set and return the log row (or None).

    Raises PermissionDenied for a role not in the transition, TransitionError for a wrong
    source state or a failing guard, StaleState when another request moved it first.
    Must run inside the service's transaction.
    """
    transition = workflow[name]
    if (role or getattr(actor, "role", None)) not in transition.roles:
        raise PermissionDenied
    field_name = workflow.status_field
    old = getattr(obj, field_name)
    message = refusal(obj, transition, actor, role=role, status_field=field_name)
    for guard in check_guards:
        message = message or guard(obj, actor)
    if message:
        raise TransitionError(message)
    now = timezone.now()
    updates = {field_name: transition.target, **(extra_updates or {})}
    if any(f.name == "updated_at" for f in obj._meta.get_fields()):
        updates["updated_at"] = now
    changed = type(obj)._default_manager.filter(pk=obj.pk, **{field_name: old}).update(**updates)
    if changed != 1:
        raise StaleState(_("Someone else changed this case a moment ago; reload the page and try again."))
    for key, value in updates.items():
        setattr(obj, key, value)
    if workflow.log_model is None:
        return None
    return workflow.log_model._default_manager.create(
        **{workflow.log_fk: obj},
        transition=name,
        from_state=old,
        to_state=transition.target,
        actor=actor,
        comment=comment,
        data=data or {},
        created_at=now,
    )
