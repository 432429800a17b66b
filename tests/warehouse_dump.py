"""The warehouse as comparable Python values: every core, audit and mart table, sorted, without
the columns that name a run or a moment (run ids, load and send times)."""

from __future__ import annotations

from pathlib import Path

import duckdb

VOLATILE = {"run_id", "loaded_at", "sent_at", "refused_at", "message_id", "destination"}


def dump(warehouse: Path, schemas: tuple[str, ...] = ("core", "mart")) -> dict[str, list[tuple]]:
    out = {}
    with duckdb.connect(str(warehouse)) as con:  # a writer: replays a WAL a killed run left behind
        listed = ", ".join(f"'{s}'" for s in schemas)
        names = [n for (n,) in con.execute(f"select schema_name || '.' || table_name from duckdb_tables() "
                                           f"where schema_name in ({listed}) order by 1").fetchall()]
        for name in names:
            schema, table = name.split(".")
            columns = [c for (c,) in con.execute("select column_name from duckdb_columns() where schema_name = ? "
                                                 "and table_name = ? order by column_index", [schema, table]).fetchall()
                       if c not in VOLATILE]
            listed_columns = ", ".join(f'"{c}"' for c in columns)
            out[name] = con.execute(f"select {listed_columns} from {name} order by all").fetchall()
    return out


def by_month(tables: dict[str, list[tuple]], warehouse: Path) -> dict[tuple[str, object], list[tuple]]:
    """The same rows keyed by (table, month) for tables with a month column (first column)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        first = dict(con.execute("select schema_name || '.' || table_name, column_name from duckdb_columns() "
                                 "where column_index = 1").fetchall())
    out: dict[tuple[str, object], list[tuple]] = {}
    for name, rows in tables.items():
        if first.get(name) != "month":
            continue
        for row in rows:
            out.setdefault((name, row[0]), []).append(row)
    return out
