"""Rows of a run's tables written straight to the database: scored pairs with the weights that explain them."""

from __future__ import annotations

from django.db import connection

COMPARED = ("name", "sex", "age", "place", "event", "occupation", "sentence", "list")


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT rows into a model's table in batches, bypassing model instances."""
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start:start + 10_000])


def explanation(pair: dict) -> dict:
    """Per-field match weights (bits) and comparison levels, from a Splink prediction row.

    The compared values are not stored: they may be restricted (a name, a place) and this table
    is not sealed. explain_pair() reads them from the records when someone asks.
    """
    fields = {}
    for name in COMPARED:
        weight = pair.get(f"mw_{name}")
        fields[name] = {"weight": round(float(weight), 3) if weight is not None else None,
                        "level": pair.get(f"gamma_{name}")}
    for name in COMPARED:  # the name's frequency, and a small case's event's (priors.by_event_frequency)
        if pair.get(f"mw_tf_adj_{name}") is not None:
            fields[name]["term_frequency_adjustment"] = round(float(pair[f"mw_tf_adj_{name}"]), 3)
    if pair.get("mw_one_to_one"):  # weighed against the other candidates of the two lists (one_to_one.py)
        fields["one_to_one"] = {"weight": round(float(pair["mw_one_to_one"]), 3), "level": None,
                                "probability_alone": round(float(pair["match_probability_alone"]), 4)}
    return fields
