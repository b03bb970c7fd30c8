"""A name search on the public site answers with rows or an empty list, never an SQL error.

Datasette escapes what a reader types into `?_search=` (its default search mode) with its SQL
function `escape_fts`, which wraps each word in quotes. A query with no word left — a lone `"`,
`""`, only spaces, or the empty box the search form submits — became an empty FTS5 query, and
Datasette answered 400 "Invalid SQL: fts5: syntax error". Here:

- a blank `_search=` (or `_search_COLUMN=`) is no search: the table as without it, as an emptied
  search box means;
- `escape_fts` is Datasette's own, except that a query with no word in it is a phrase of no word,
  which FTS5 accepts and which matches nothing: an empty list;
- `_searchmode=raw` (FTS5's own syntax, where `AND` or `NEAR(` alone is an error) and `_fts_table=` /
  `_fts_pk=` (another table as the index: an error) are dropped: the site searches names the
  way its metadata sets, with everything typed taken as words.
"""

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import escape_fts

#: An FTS5 phrase holding no word: a valid query that matches no row.
NO_WORD = '" "'
#: Query parameters that would let a request choose how, or in what, to search.
DROPPED = ("_searchmode", "_fts_table", "_fts_pk")


def escape_words(query) -> str:
    """Datasette's escaping of a search, never empty (an empty FTS5 query is a syntax error)."""
    return (escape_fts(query) if isinstance(query, str) else "") or NO_WORD


def searched(query: str) -> str:
    """The query string with the parameters above dropped and blank searches left out (unchanged if none is)."""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs
            if key not in DROPPED and not (key.startswith("_search") and not value.strip())]
    return query if len(kept) == len(pairs) else urlencode(kept)


@hookimpl(trylast=True)
def prepare_connection(conn):
    """Replace escape_fts after Datasette has registered its own (trylast: this runs after it)."""
    conn.create_function("escape_fts", 1, escape_words)


@hookimpl
def asgi_wrapper(datasette):
    """Rewrite the query string before Datasette reads it."""

    def wrap(app):
        async def search(scope, receive, send):
            if scope["type"] == "http" and scope.get("query_string"):
                query = scope["query_string"].decode("latin-1")
                rewritten = searched(query)
                if rewritten != query:
                    scope = {**scope, "query_string": rewritten.encode("latin-1")}
            await app(scope, receive, send)

        return search

    return wrap
