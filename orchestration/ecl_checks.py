"""The ECL controls as Dagster asset checks: the ECL asset records each month's controls in
mart.ecl_checks (computed by `transforms.ecl.check_ecl`); these checks read them back, so the UI,
the run and the audit table all show the same verdict.

Blocking controls stop the reports of the run when any month fails; a control that could not be
evaluated (no ECL in the first loaded month, no opening allowance in the second) passes and
says why in its description.
"""


from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    asset_check,
)

from orchestration.assets.ecl import ECL
from orchestration.assets.metadata import preview
from orchestration.partitions import partition_month
from orchestration.resources import RiskpackSettings
from orchestration.warehouse import POOL, connect, frame

BLOCKING = {
    "ecl_known": "Every on-book account has an ECL (its PD, LGD and apr are known).",
    "ecl_non_negative": "No account has a negative ECL.",
    "stage3_lgd_times_ead": "Stage 3 ECL equals LGD × EAD for every account.",
    "movement_ties": "The allowance movement ties exactly: opening + every line = closing.",
    "movement_closing_matches_ecl": "The movement's closing allowance equals Σ ECL per product and stage.",
    "scenario_weights": "The scenario weights are valid and sum to 1.",
}
WARNING = {"coverage_increasing": "Coverage (ECL / balance) increases from stage 1 to 2 to 3."}


def _ecl_check(name: str, description: str, blocking: bool) -> AssetChecksDefinition:
    severity = AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN

    @asset_check(asset=ECL, name=name, blocking=blocking, pool=POOL, description=description)
    def control(context: AssetCheckExecutionContext, riskpack: RiskpackSettings) -> AssetCheckResult:
        months = [partition_month(k) for k in context.partition_keys]
        with connect(riskpack.get().warehouse, read_only=True) as con:
            recorded = frame(con, "checks/ecl_controls", {"months": months})
        rows = recorded.filter(recorded["check_name"] == name)
        failed = rows.filter(rows["passed"].not_())
        unrecorded = sorted(set(months) - set(rows["month"].to_list()))
        months_failing = [m.strftime("%Y-%m") for m in [*unrecorded, *failed["month"].to_list()]]
        if months_failing:
            description = f"months failing: {', '.join(months_failing)}; " + "; ".join(failed["detail"].head(3))
        else:
            evaluated = rows.filter(rows["passed"].is_not_null()).height
            description = f"passed in {evaluated} month(s), not evaluated in {rows.height - evaluated}"
        return AssetCheckResult(passed=not months_failing, severity=severity, description=description,
                                metadata={"detail": preview(rows.select("month", "passed", "failures", "detail"),
                                                            rows=36),
                                          "months_failing": len(months_failing)})

    return control


ECL_CHECKS = [*(_ecl_check(name, text, True) for name, text in BLOCKING.items()),
              *(_ecl_check(name, text, False) for name, text in WARNING.items())]
