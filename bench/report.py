"""The ratios against the targets of issue 8, and the printed table."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bench.measure import Measurement

INCREMENTAL_MONTHS = (12, 24, 36)
JOB_PHASES = ("pipeline", *(f"incremental_{n}" for n in INCREMENTAL_MONTHS), "render")
PIPELINE_OVER_CTAS_MAX = 3.0
INCREMENTAL_GROWTH_MAX = 1.5
PEAK_RSS_MAX_GB = 6.0
RENDER_MAX_S = 10.0
# Ratios compare work_s: the phase's work without interpreter start-up and imports, which are the
# same few seconds in every phase and would pull every ratio towards 1 on small portfolios.
RATIO_BASIS = "work_s"


@dataclass
class Target:
    name: str
    value: float | None
    limit: float | None
    unit: str
    note: str = ""

    @property
    def result(self) -> str:
        if self.value is None:
            return "skipped"
        if self.limit is None:
            return "-"
        return "PASS" if self.value <= self.limit else "MISS"

    def to_json(self) -> dict:
        return {**asdict(self), "result": self.result}


def _ratio(numerator: Measurement | None, denominator: Measurement | None) -> float | None:
    if numerator is None or denominator is None or denominator.work_s <= 0:
        return None
    return numerator.work_s / denominator.work_s


def ratios(phases: dict[str, Measurement]) -> dict[str, float | None]:
    found = {
        "pipeline_over_floor_ctas": _ratio(phases.get("pipeline"), phases.get("floor_ctas")),
        "pipeline_over_floor_scan": _ratio(phases.get("pipeline"), phases.get("floor_scan")),
    }
    for n in INCREMENTAL_MONTHS[1:]:
        found[f"incremental_{n}_over_12"] = _ratio(phases.get(f"incremental_{n}"), phases.get("incremental_12"))
    found["incremental_36_over_12_per_byte"] = _per_byte_ratio(phases.get("incremental_36"), phases.get("incremental_12"))
    return found


def probe_spread(measured: list[Measurement]) -> float | None:
    """The slowest speed probe of the run over the fastest: 1.0 when the machine kept its speed."""
    probes = [m.info["probe_ms"] for m in measured if m.info.get("probe_ms")]
    return max(probes) / min(probes) if probes else None


def _per_byte_ratio(numerator: Measurement | None, denominator: Measurement | None) -> float | None:
    """The ratio of seconds per byte of the month's extract: a book that grows between the two
    months makes the later month dearer by its data alone, which is not cost growing with history."""
    sizes = [m.info.get("extract_bytes") if m else None for m in (numerator, denominator)]
    plain = _ratio(numerator, denominator)
    if plain is None or not all(sizes):
        return None
    return plain * sizes[1] / sizes[0]


def _runs(m: Measurement | None) -> int:
    """How many runs a phase's figure is the fastest of (1 for a phase run once)."""
    return (len(m.info.get("runs", [])) or 1) if m else 0


def _peak_mb(m: Measurement) -> float:
    """The largest resident set over every run of a phase: the fastest run need not be the largest."""
    return max([m.peak_rss_mb, *(run["peak_rss_mb"] for run in m.info.get("runs", []))])


def targets(phases: dict[str, Measurement], found: dict[str, float | None], large: bool,
            skipped: dict[str, str]) -> list[Target]:
    job_rss = [_peak_mb(phases[p]) for p in JOB_PHASES if p in phases]
    render = phases.get("render")
    documents = len(render.info.get("documents", [])) if render else 0
    return [
        Target("pipeline / floor CTAS", found["pipeline_over_floor_ctas"], PIPELINE_OVER_CTAS_MAX, "x",
               "load + all marts (one run) against a plain CREATE TABLE AS of every file (the fastest of "
               f"{_runs(phases.get('floor_ctas'))} run(s))"),
        Target("pipeline / floor scan", found["pipeline_over_floor_scan"], None, "x", "no target"),
        Target("incremental month 36 / month 12", found["incremental_36_over_12"], INCREMENTAL_GROWTH_MAX, "x",
               skipped.get("incremental_36", "month 36 on 35 months of history against month 12 on 11, each the "
                           f"fastest of {_runs(phases.get('incremental_12'))} run(s)")),
        Target("incremental 36 / 12 per extract byte", found["incremental_36_over_12_per_byte"], None, "x",
               "the same per byte of the month's extract (the book grows between the two months)"),
        Target("peak RSS of the job's phases", max(job_rss) / 1024 if job_rss else None, PEAK_RSS_MAX_GB, "GB",
               "target set for the --large preset" if not large else "the --large preset"),
        Target("render one month", render.work_s if render else None, RENDER_MAX_S, "s",
               f"{documents} document(s) of the last month, HTML + PDF each; the fastest of {_runs(render)} run(s)"),
    ]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f} {unit}" if unit != "x" else f"{value:.2f}x"


def _incremental_steps(phases: dict[str, Measurement]) -> list[str]:
    """Seconds of each step in the first and last incremental month: which step's cost grows with history."""
    first, last = (phases.get(f"incremental_{n}") for n in (INCREMENTAL_MONTHS[0], INCREMENTAL_MONTHS[-1]))
    if not (first and last and first.info.get("steps") and last.info.get("steps")):
        return []
    before, after = first.info["steps"], last.info["steps"]
    title = (f"incremental month {INCREMENTAL_MONTHS[-1]} against month {INCREMENTAL_MONTHS[0]}, by step "
             "(largest growth first):")
    lines = ["", title]
    growth = sorted(after, key=lambda step: before.get(step, 0.0) - after[step])
    for step in growth[:8]:
        ratio = f"{after[step] / before[step]:>7.2f}x" if before.get(step) else ""
        lines.append(f"  {step:<40}{before.get(step, 0.0):>7.1f} s{after[step]:>7.1f} s{ratio}")
    return lines


def table(measured: list[Measurement], phases: dict[str, Measurement], found: dict[str, float | None],
          checks: list[Target], skipped: dict[str, str]) -> str:
    lines = [f"{'phase':<34}{'wall s':>9}{'work s':>9}{'CPU s':>9}{'peak RSS MB':>13}{'probe ms':>10}"]
    lines.append("-" * len(lines[0]))
    for m in measured:
        label = m.phase if m.timed else f"{m.phase} (not part of ratios)"
        probe = f"{m.info['probe_ms']:>10.0f}" if m.info.get("probe_ms") else ""
        lines.append(f"{label:<34}{m.wall_s:>9.1f}{m.work_s:>9.1f}{m.cpu_s:>9.1f}{m.peak_rss_mb:>13.0f}{probe}")
    for phase, reason in skipped.items():
        lines.append(f"{phase:<34}  skipped: {reason}")
    lines.append("")
    lines.append("wall: the whole phase process; work: its work proper, without interpreter start-up and imports;")
    lines.append("CPU: user + system of the process and its children; ratios below compare work seconds.")
    spread = probe_spread(measured)
    if spread is not None:
        lines.append(f"probe: a fixed loop timed just before each phase; the slowest took {spread:.2f}x the fastest: "
                     "the machine's")
        lines.append("own speed changed that much during the run, so seconds of different phases compare only that well.")

    pipeline = phases.get("pipeline")
    if pipeline and pipeline.info.get("steps"):
        lines.append("")
        lines.append("pipeline steps (one Dagster step per asset or check, over every month of the run; peak: the")
        lines.append("process's resident memory while the step ran, what earlier steps left allocated included):")
        peaks = pipeline.info.get("step_peak_rss_mb", {})
        for step, seconds in list(pipeline.info["steps"].items())[:10]:
            peak = f"{peaks[step]:>9,.0f} MB" if peaks.get(step) is not None else ""
            lines.append(f"  {step:<40}{seconds:>9.1f} s {seconds / pipeline.work_s:>7.1%}{peak}")
    lines.extend(_incremental_steps(phases))
    render = phases.get("render")
    if render and render.info.get("steps"):
        locales = render.info.get("locales") or ["?"]
        documents = len(render.info.get("documents", []))
        lines.append("")
        lines.append(f"render: {documents} PDF(s) (each with its HTML), locales {', '.join(locales)}, both packs in "
                     f"one step and one pool of workers; seconds per document = the step / documents:")
        for step, seconds in render.info["steps"].items():
            per_document = f"{seconds / documents:>9.2f} s per document" if documents else ""
            lines.append(f"  {step:<40}{seconds:>9.1f} s {per_document}")
    lines.append("")
    lines.append(f"{'ratio or target':<36}{'value':>10}{'target':>10}  {'result':<8} note")
    lines.append("-" * 86)
    for check in checks:
        limit = "-" if check.limit is None else f"<= {check.limit:g}{'x' if check.unit == 'x' else ' ' + check.unit}"
        lines.append(f"{check.name:<36}{_fmt(check.value, check.unit):>10}{limit:>10}  {check.result:<8} {check.note}")
    for key, value in found.items():
        if key.startswith("incremental_24") and value is not None:
            lines.append(f"{'incremental month 24 / month 12':<36}{_fmt(value, 'x'):>10}{'-':>10}  {'-':<8} no target")
    return "\n".join(lines)
