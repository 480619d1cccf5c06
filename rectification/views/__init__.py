"""Pages of rectification: the ledger and its export (``ledger``), the 一企一策 page and the
enterprise's register (``plans``), a hazard and its loop (``hazards``), and the plan's card on
the grading case page with the application's rectification moves (``card``). Importing the
package registers the card (``rectification.apps`` does)."""

from rectification.views import card, hazards, ledger, plans  # noqa: F401
