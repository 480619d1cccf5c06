"""Demo data for ``make demo``: clearly fictional enterprises, experts and one user per role.

It sits above every domain app (it writes through their services), so it lives in its own
app rather than in accounts, which must not import enterprises or experts.
"""
