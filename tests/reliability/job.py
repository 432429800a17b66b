"""Runs the monthly job, or a part of it, over a month range in this process: the process the
kill tests SIGKILL. `python -m tests.reliability.job FIRST LAST PART` (PART: all, marts, reports,
delivery); paths come from the environment as for any run."""

import sys
import warnings

from dagster import AssetSelection, DagsterInstance, Definitions, define_asset_job, in_process_executor

from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG

PARTS = {
    "all": AssetSelection.all(),
    "marts": AssetSelection.groups("ingest", "risk"),
    "reports": AssetSelection.groups("reports"),
    "delivery": AssetSelection.groups("delivery"),
}


def main(first: str, last: str, part: str) -> int:
    warnings.filterwarnings("ignore")
    from orchestration.definitions import defs

    job = define_asset_job(f"part_{part}", selection=PARTS[part], executor_def=in_process_executor)
    definitions = Definitions(assets=list(defs.assets), asset_checks=list(defs.asset_checks), jobs=[job],
                              resources=defs.resources)
    with DagsterInstance.ephemeral() as instance:
        result = definitions.resolve_job_def(job.name).execute_in_process(
            instance=instance, raise_on_error=False, tags={RANGE_START_TAG: first, RANGE_END_TAG: last},
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
