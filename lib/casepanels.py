"""Panels that higher apps add to a case page without the case's app importing them.

The grading application's page lists its own sections; the reviews app (panel, on-site
review), and later the rectification and publicity apps, register a renderer here from
their ``AppConfig.ready``. The page calls ``render_case_panels(request, obj)`` and shows
what comes back, in order.
"""

from collections.abc import Callable
from dataclasses import dataclass

PanelRenderer = Callable[..., str | None]  # (request, obj) -> HTML, or None to show nothing


@dataclass(frozen=True)
class _Registration:
    kind: str
    order: int
    render: PanelRenderer


_REGISTRY: list[_Registration] = []


def register(kind: str, *, order: int = 100) -> Callable[[PanelRenderer], PanelRenderer]:
    """Register a renderer for case pages of ``kind`` (e.g. "grading_application")."""

    def decorator(func: PanelRenderer) -> PanelRenderer:
        if not any(r.render is func for r in _REGISTRY):
            _REGISTRY.append(_Registration(kind, order, func))
        return func

    return decorator


def render_case_panels(kind: str, request, obj) -> list[str]:
    """The HTML of every registered panel for ``obj``, in order, skipping empty ones."""
    parts = []
    for reg in sorted((r for r in _REGISTRY if r.kind == kind), key=lambda r: r.order):
        html = reg.render(request, obj)
        if html:
            parts.append(html)
    return parts
