"""Pages of results: publicity batches and their moves (``batches``), objections
(``objections``), announcements (``announcements``), certificates with renewal, the yearly
self-assessment and the revocation flag (``certificates``), revocation cases (``revocations``),
and the result card on the grading case page with the 科长's "not passed" decision (``card``).
Importing the package registers the card (``results.apps`` does)."""

from results.views import announcements, batches, card, certificates, objections, revocations  # noqa: F401
