"""Pages of the reviews app: ``panel`` (draw, seats, schedule, sign-in, supervision) and
``scoring`` (sheets, consolidation, finalising, the chief's decision, ratings). Importing the
package registers their cards on the case page."""

from reviews.views import panel, scoring  # noqa: F401
