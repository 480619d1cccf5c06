"""Substring search over Chinese names that an index can serve on PostgreSQL.

A name contains a query only if the name's two-character windows ("grams") include every
gram of the query. A model keeps its names' grams, space-separated, in a text column
(``joined_grams``); PostgreSQL indexes ``string_to_array(column, ' ')`` with GIN, and
``GramsContain`` asks that index for the candidates, which the ordinary ``icontains``
condition then checks. A b-tree cannot serve ``LIKE '%营口%'`` and pg_trgm needs three
characters (a Chinese query is usually two), so without this every search read every row:
30 ms per query over 100,000 enterprises, twice per page (the rows and the count).

On SQLite (development, tests) ``GramsContain`` is not used: the plain scan is fast there.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func


def grams(text: str) -> list[str]:
    """The distinct two-character windows of ``text`` (lower case, whitespace dropped), in order.

    "营口钢铁" → ["营口", "口钢", "钢铁"]; a single character has none.
    """
    chars = "".join(text.lower().split())
    return list(dict.fromkeys(chars[i : i + 2] for i in range(len(chars) - 1)))


def joined_grams(*texts: str) -> str:
    """The grams of every text, distinct, space-separated: the value of a grams column."""
    return " ".join(dict.fromkeys(g for text in texts if text for g in grams(text)))


class GramsContain(Func):
    """``string_to_array(<column>, ' ') @> ARRAY[<grams>]`` (PostgreSQL): the column holds them all."""

    output_field = BooleanField()

    def __init__(self, column: str, wanted: list[str]) -> None:
        super().__init__(F(column))
        self.wanted = list(wanted)

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"string_to_array({column}, ' ') @> %s::text[]", (*params, self.wanted)


def gram_prefilter(column: str, query: str) -> GramsContain | None:
    """The index condition for a substring ``query`` on PostgreSQL, or None (SQLite, or a
    query without a gram or with ASCII letters, which other keys such as pinyin also match)."""
    wanted = grams(query)
    if connection.vendor != "postgresql" or not wanted or query.isascii():
        return None
    return GramsContain(column, wanted)
