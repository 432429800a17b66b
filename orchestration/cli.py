"""`riskpack run`: the main job on the embedded defaults, as `make run` calls it.

One Dagster run over the whole range of months (the assets have single-run backfill
policies), recorded in the project's Dagster instance so `make ui` shows it afterwards.
"""

import argparse
import os
import sys
import time
import warnings
from datetime import date
from pathlib import Path

from orchestration.config import REPO_ROOT, ConfigError, Settings, load_settings
from orchestration.ingest.landing import months_with_extracts

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def ensure_demo_portfolio(settings: Settings) -> None:
    """Fills an empty landing directory with the demo portfolio of the config's [demo] table."""
    landing = settings.landing_dir
    if landing.is_dir() and any(landing.iterdir()):
        return
    from simulator.portfolio import SimulationParams, simulate

    params = SimulationParams(accounts=settings.demo_accounts, months=settings.demo_months,
                              first_month=settings.demo_first_month, seed=settings.demo_seed,
                              file_format=settings.demo_format, charge_off_dpd=settings.charge_off_dpd)
    print(f"landing directory {landing} is empty: simulating the demo portfolio "
          f"({params.accounts:,} accounts, {params.months} months)")
    simulate(params, landing, progress=True)


def contiguous(months: list[date]) -> bool:
    index = [m.year * 12 + m.month for m in months]
    return index == list(range(index[0], index[0] + len(index)))


def run_months(first: date, last: date) -> bool:
    """Executes the monthly job over [first, last] in this process, on the project instance."""
    from dagster import DagsterInstance

    from orchestration.definitions import defs
    from orchestration.partitions import partition_key

    job = defs.resolve_job_def("riskpack_monthly")
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            tags={RANGE_START_TAG: partition_key(first), RANGE_END_TAG: partition_key(last)},
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
            raise_on_error=False,
        )
    print(f"dagster run {result.run_id}: {'success' if result.success else 'FAILED'}")
    return result.success


def report_files(settings: Settings) -> list[Path]:
    return sorted(p for p in settings.output_dir.glob("*/*") if p.suffix in (".html", ".pdf"))


def command_run(settings: Settings) -> int:
    started = time.monotonic()
    ensure_demo_portfolio(settings)
    first_partition = settings.first_month
    months = [m for m in months_with_extracts(settings.landing_dir) if m >= first_partition]
    if not months:
        print(f"no extracts in {settings.landing_dir} from {first_partition:%Y-%m} on", file=sys.stderr)
        return 1
    if not contiguous(months):
        print(f"extract months are not contiguous ({', '.join(f'{m:%Y-%m}' for m in months)}); "
              "load the missing months or backfill ranges from the Dagster UI", file=sys.stderr)
        return 1
    print(f"running months {months[0]:%Y-%m} to {months[-1]:%Y-%m} into {settings.warehouse}")
    ok = run_months(months[0], months[-1])
    files = report_files(settings)
    print(f"\n{len(files)} report files in {settings.output_dir} ({time.monotonic() - started:.0f} s)")
    for path in files[-4:]:
        print(f"  {path}")
    print(f"warehouse: {settings.warehouse}\nrun history: `make ui`, then http://127.0.0.1:3000")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="riskpack", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="load every month in the landing directory, build marts, render reports")
    args = parser.parse_args(argv)
    # Dagster's beta/preview notices (backfill policies, partition mappings) are for developers, not operators.
    warnings.filterwarnings("ignore", module=r"dagster(\..*)?$")
    warnings.filterwarnings("ignore", message=r".*(beta|preview).*")
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster_home"))
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "run":
        return command_run(settings)
    return 2


if __name__ == "__main__":
    sys.exit(main())
