"""Writes of the reviews app, one module per stage: the panel and the site visit (``panel``),
the scoring and its consolidation and finalisation (``scoring``). Import from here."""

from reviews.services.panel import *  # noqa: F403
from reviews.services.panel import __all__ as _panel_all
from reviews.services.scoring import *  # noqa: F403
from reviews.services.scoring import __all__ as _scoring_all

__all__ = [*_panel_all, *_scoring_all]
