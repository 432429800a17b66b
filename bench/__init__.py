"""The benchmark: `python -m bench` (`make bench`), not part of the test suite.

Simulates a portfolio (not timed), then runs each measured phase in a child process of its own, so
wall time, CPU time and peak memory are whole-process figures of that phase:

- `floor_scan`: DuckDB reads every extract file once, every column as text;
- `floor_ctas`: a plain `create table … as` of every file into a fresh DuckDB file;
- `pipeline`: the job's ingest and risk groups over all months in one Dagster run, fresh warehouse;
- `incremental_12/24/36`: ingest and risk of month N alone, on a warehouse loaded through N−1;
- `render`: the reports group for the last month (every configured locale).

It prints a table with the ratios against the targets of issue 8 and writes the figures as JSON.
"""
