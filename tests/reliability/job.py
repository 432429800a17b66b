"""Runs the monthly job, or a part of it, over a month range in this process: the process the
kill tests SIGKILL. `python -m tests.reliability.job FIRST LAST PART` (PART: all, marts, reports,
delivery); paths come from the environment as for any run."""

import sys
import warnings
from contextlib import ExitStack

from dagster import (
    AssetSelection,
    DagsterInstance,
    Definitions,
    define_asset_job,
    in_process_executor,
)

from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG

PARTS = {
    "all": AssetSelection.all(),
    "marts": AssetSelection.groups("ingest", "risk"),
    "reports": AssetSelection.groups("reports"),
    "delivery": AssetSelection.groups("delivery"),
}


def run(first: str, last: str, part: str, instance: DagsterInstance | None = None,
        tags: dict[str, str] | None = None) -> bool:
    from orchestration.definitions import defs

    job = define_asset_job(f"part_{part}", selection=PARTS[part], executor_def=in_process_executor)
    definitions = Definitions(assets=list(defs.assets), asset_checks=list(defs.asset_checks), jobs=[job],
                              resources=defs.resources)
    with ExitStack() as stack:
        instance = instance or stack.enter_context(DagsterInstance.ephemeral())
        result = definitions.resolve_job_def(job.name).execute_in_process(
            instance=instance, raise_on_error=False,
            tags={RANGE_START_TAG: first, RANGE_END_TAG: last, **(tags or {})},
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
    return result.success


if __name__ == "__main__":
    warnings.filterwarnings("ignore")
    sys.exit(0 if run(*sys.argv[1:4]) else 1)
