"""`python -m simulator`: write a demo portfolio's extracts, optionally with faults injected."""

import argparse
import sys
from datetime import date
from pathlib import Path

from simulator.faults import FAULTS, inject
from simulator.portfolio import SimulationParams, simulate


def _month(text: str) -> date:
    year, month = text.split("-")[:2]
    return date(int(year), int(month), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    defaults = SimulationParams()
    parser.add_argument("--landing", type=Path, required=True, help="landing directory to write into")
    parser.add_argument("--accounts", type=int, default=defaults.accounts)
    parser.add_argument("--months", type=int, default=defaults.months)
    parser.add_argument("--first-month", type=_month, default=defaults.first_month, help="YYYY-MM")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--format", dest="file_format", choices=["csv", "csv.gz", "parquet"], default="csv")
    parser.add_argument("--encoding", choices=["utf-8", "gbk"], default="utf-8")
    parser.add_argument("--charge-off-dpd", type=int, default=defaults.charge_off_dpd)
    parser.add_argument("--inject", action="append", default=[], metavar="FAULT[:YYYY-MM]",
                        help=f"fault into the month's extract (default the last month); one of {', '.join(FAULTS)}")
    parser.add_argument("--force", action="store_true", help="write into a non-empty landing directory")
    args = parser.parse_args(argv)
    if args.landing.exists() and any(args.landing.iterdir()) and not args.force:
        print(f"{args.landing} is not empty (use --force to write into it)", file=sys.stderr)
        return 1
    params = SimulationParams(accounts=args.accounts, months=args.months, first_month=args.first_month,
                              seed=args.seed, file_format=args.file_format, encoding=args.encoding,
                              charge_off_dpd=args.charge_off_dpd)
    folders = simulate(params, args.landing)
    by_month = {f.name[:7]: f for f in folders}
    for spec in args.inject:
        fault, _, month = spec.partition(":")
        folder = by_month[month] if month else folders[-1]
        print(inject(folder, fault, params.seed))
    print(f"{len(folders)} extracts in {args.landing}")
    return 0
