"""The validation macros' shortcuts against the rules as first written, value by value.

`missing` and `bad_money` accept the common value early (a printable first character; a value
whose decimal(18,2) reading equals its 6-decimal one) to skip trims and casts on every field of
every row. These tests hold them to the plain rules on values chosen to sit at each shortcut's edge.
"""

import duckdb
import pytest

from orchestration.warehouse import run_folder

# text at the edges of `missing`'s shortcut: spaces of several kinds, controls, a first character
# just inside and outside printable ascii
EDGES = ["", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2007", "\u200b", "\ufeff", "\x00", "\x7f", "a", "!", "~",
         "0", "-", "+", ".", "中", "é", "\u3000a", " a", "a "]
NUMBERS = ["0", "0.00", "-0.01", "+5", ".5", "5.", "1.005", "1.0049999", "1.0000001", "1.00000000001", "12.3456789",
           "1e3", "1E-2", "1.5e1", "-1e-3", "nan", "inf", "-inf", "1,000", "1_000", "０１", " 7.25 ", "7.25\u3000",
           "99999999999999.99", "9999999999999999.99", "9999999999999999.994", "9999999999999999.995",
           "9999999999999999.999", "10000000000000000", "-10000000000000000.00", "1e16", "1e15", "1e38", "1e40",
           "12345678901234567890123456789012345678", "0x10", "", " ", "abc"]


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as connection:
        run_folder(connection, "macros")
        yield connection


def _values(con: duckdb.DuckDBPyConnection, expression: str, values: list[str | None]) -> list:
    return [row[0] for row in con.execute(
        f"select {expression} from unnest($values) with ordinality as v(x, n) order by n", {"values": values}).fetchall()]


def test_missing_is_null_or_only_spaces(con):
    values = [None, *EDGES, *(f"{pad}{v}{pad}" for v in EDGES for pad in (" ", "\t", "\u3000"))]
    found = _values(con, "missing('f', x)", values)
    assert found == _values(con, "case when x is null or trim(x) = '' then 'f: missing' end", values)
    assert found.count("f: missing") > 5 and found.count(None) > 5  # both outcomes are exercised


def test_bad_money_as_first_written(con):
    values = [None, *NUMBERS, *(f"-{v}" for v in NUMBERS), *EDGES]
    plain = """case
        when x is null then null
        when try_cast(x as decimal(38, 6)) is null then format('{}: not a number — ''{}''', 'f', x)
        when try_cast(x as decimal(38, 6)) <> try_cast(x as decimal(38, 2)) then format('{}: more than 2 decimals — {}', 'f', x)
        when abs(try_cast(x as decimal(38, 2))) >= 10000000000000000 then format('{}: too large for decimal(18,2) — {}', 'f', x)
    end"""
    found = _values(con, "bad_money('f', x)", values)
    assert found == _values(con, plain, values)
    reasons = {reason.split(" — ")[0] for reason in found if reason}
    assert reasons == {"f: not a number", "f: more than 2 decimals", "f: too large for decimal(18,2)"}
    assert found.count(None) > 10
