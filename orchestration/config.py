"""Settings: paths from the environment, methodology parameters from the TOML config.

Validated once at start-up so a wrong value stops everything with a message naming the
setting, instead of surfacing as a strange number in a report three steps later.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reports.i18n import Phrase, phrase
from transforms.early_warning import ScoreSettings, Thresholds
from transforms.ecl import validate_scenarios
from transforms.regulatory import CLASSIFICATION_REGIMES
from transforms.states import PRODUCTS

REPO_ROOT = Path(__file__).resolve().parent.parent
SUPPORTED_FORMATS = ("csv", "csv.gz", "parquet")
TLS_MODES = ("none", "starttls", "ssl")
PASSWORD_VARIABLE = "RISKPACK_SMTP_PASSWORD"


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names it."""


@dataclass(frozen=True)
class Configuration:
    """The TOML text a run was configured with, kept with every month it computes (audit tables),
    so that a pack prints the settings behind its figures, not only today's."""
    file_name: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EclSettings:
    mode: str                                     # "ifrs9" or "cecl"
    default_dpd: int
    behavioural_life: int
    workout_months: int
    lgd_fallback: float
    lgd_min_accounts: int
    pd_min_row_accounts: int
    ccf: tuple[tuple[str, float], ...]            # (product, CCF) on undrawn active lines
    scenarios: tuple[tuple[str, float, float], ...]  # (name, weight, PD multiplier)

    def parameters(self) -> dict[str, str | Phrase | tuple[Phrase, ...]]:
        return {
            "ECL mode": "CECL" if self.mode == "cecl" else "IFRS 9",
            "default (DPD)": phrase("param.default_dpd", dpd=self.default_dpd),
            "behavioural life of revolving lines (months)": str(self.behavioural_life),
            "LGD workout window (months)": str(self.workout_months),
            "LGD fallback": phrase("param.lgd_fallback", rate=f"{self.lgd_fallback:.2%}",
                                   accounts=self.lgd_min_accounts),
            "PD chain: minimum transitions per bucket row": str(self.pd_min_row_accounts),
            "CCF on undrawn active lines": tuple(
                phrase("param.ccf", product=Phrase(f"product.{p}", fallback=p), rate=f"{c:.0%}")
                for p, c in self.ccf) or phrase("param.none"),
            "ECL scenarios (weight × PD multiplier)": tuple(
                phrase("param.scenario", name=Phrase(f"ecl.scenario.{n}", fallback=n), weight=f"{w:.0%}",
                       multiplier=f"{m:g}") for n, w, m in self.scenarios),
        }


@dataclass(frozen=True)
class DeliverySettings:
    smtp_host: str                                # "" → write .eml files to the outbox
    smtp_port: int
    tls: str                                      # "none", "starttls" or "ssl"
    smtp_user: str
    smtp_password: str | None                     # from RISKPACK_SMTP_PASSWORD only
    sender: str
    timeout_seconds: float
    attempts: int
    retry_delay_seconds: float
    outbox: Path
    recipients: tuple[tuple[str, tuple[str, ...]], ...]   # (pack, addresses)
    operators: tuple[str, ...]

    def recipients_of(self, pack: str) -> tuple[str, ...]:
        return dict(self.recipients).get(pack, ())


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse: Path
    output_dir: Path
    config_file: Path
    configuration: Configuration
    portfolio_name: str
    currency: str
    first_month: date
    bucket_edges: tuple[int, ...]
    quarantine_threshold: float
    rollforward_tolerance: Decimal
    demo_accounts: int
    demo_months: int
    demo_first_month: date
    demo_seed: int
    demo_format: str
    locales: tuple[str, ...]
    percent_decimals: int
    vintage_horizon: int
    vintage_n_periods: int | None
    roll_window: int
    projection_months: int
    charge_off_dpd: int
    ecl: EclSettings
    early_warning: tuple[Thresholds, ScoreSettings]
    regime_schedule: tuple[tuple[str, date], ...]
    provision_coverage_min: float
    loan_provision_ratio_min: float
    schedule_cron: str
    schedule_timezone: str
    sensor_settle_seconds: float
    delivery: DeliverySettings

    def parameters(self) -> dict[str, str | Phrase | tuple[Phrase, ...]]:
        """The parameters in force, as printed in every report's appendix (words as `Phrase`s, which
        each pack prints in its locale: reports.i18n.setting_value)."""
        score = self.early_warning[1]
        return {
            "config file": self.config_file.name,
            "bucket edges (DPD)": ", ".join(str(e) for e in self.bucket_edges),
            "charge-off point (DPD)": str(self.charge_off_dpd),
            "quarantine threshold": f"{self.quarantine_threshold:.2%}",
            "roll-forward tolerance": f"{self.rollforward_tolerance} {self.currency}",
            "first month": self.first_month.strftime("%Y-%m"),
            "currency": self.currency,
            "vintage horizon (months on book)": str(self.vintage_horizon),
            "chain-ladder origins per factor": (phrase("param.all") if self.vintage_n_periods is None
                                                else str(self.vintage_n_periods)),
            "roll-rate pooling window (months)": str(self.roll_window),
            "Markov projection horizon (months)": str(self.projection_months),
            **self.ecl.parameters(),
            "regulatory classification regimes": tuple(phrase("param.regime_from", regime=name, day=day)
                                                       for name, day in self.regime_schedule),
            "minimum provision coverage": f"{self.provision_coverage_min:.0%}",
            "minimum loan provision ratio": f"{self.loan_provision_ratio_min:.2%}",
            "early-warning signals": ", ".join(f"{k} {v:g}" for k, v in dataclasses.asdict(self.early_warning[0]).items()),
            "early-warning score": phrase("param.ew_score", fit_months=score.fit_months,
                                          min_fit_months=score.min_fit_months,
                                          cuts=", ".join(f"{c:g}" for c in score.band_cuts),
                                          band=score.watchlist_band, floor=f"{score.gini_floor:g}"),
        }


def _path(env: dict[str, str], name: str, default: str) -> Path:
    value = env.get(name) or default
    path = Path(value)
    return path if path.is_absolute() else REPO_ROOT / path


def _month(value: object, setting: str) -> date:
    try:
        year, month = str(value).split("-")[:2]
        return date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ConfigError(f"{setting}: expected a month as YYYY-MM, got {value!r}") from None


def _get(table: dict, dotted: str, kind: type, default: object = None) -> object:
    node: object = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            if default is not None:
                return default
            raise ConfigError(f"{dotted}: missing setting")
        node = node[part]
    if kind is float and isinstance(node, int) and not isinstance(node, bool):
        node = float(node)
    if not isinstance(node, kind) or (kind is int and isinstance(node, bool)):
        raise ConfigError(f"{dotted}: expected {kind.__name__}, got {node!r}")
    return node


def _bucket_edges(raw: object) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(e, int) for e in raw):
        raise ConfigError(f"states.bucket_edges: expected a list of integers, got {raw!r}")
    if raw[0] != 0:
        raise ConfigError(f"states.bucket_edges: the first edge must be 0, got {raw[0]}")
    if any(b <= a for a, b in pairwise(raw)):
        raise ConfigError(f"states.bucket_edges: edges must be strictly increasing, got {raw}")
    return tuple(raw)


def _ecl(raw: dict, edges: tuple[int, ...]) -> EclSettings:
    mode = _get(raw, "ecl.mode", str)
    if mode not in ("ifrs9", "cecl"):
        raise ConfigError(f"ecl.mode: 'ifrs9' or 'cecl', got {mode!r}")
    default_dpd = _get(raw, "ecl.default_dpd", int)
    if default_dpd not in edges[1:]:
        raise ConfigError(f"ecl.default_dpd: must be one of the bucket edges {list(edges[1:])}, got {default_dpd}")
    for key in ("ecl.behavioural_life", "ecl.workout_months", "ecl.lgd_min_accounts", "ecl.pd_min_row_accounts"):
        if _get(raw, key, int) <= 0:
            raise ConfigError(f"{key}: must be positive")
    fallback = _get(raw, "ecl.lgd_fallback", float)
    if not 0 <= fallback <= 1:
        raise ConfigError(f"ecl.lgd_fallback: must be between 0 and 1, got {fallback}")
    ccf = _get(raw, "ecl.ccf", dict)
    for product, factor in ccf.items():
        if product not in PRODUCTS:
            raise ConfigError(f"ecl.ccf.{product}: unknown product (one of {', '.join(PRODUCTS)})")
        if isinstance(factor, bool) or not isinstance(factor, int | float) or not 0 <= factor <= 1:
            raise ConfigError(f"ecl.ccf.{product}: a factor between 0 and 1, got {factor!r}")
    entries = _get(raw, "ecl.scenarios", list)
    try:
        scenarios = validate_scenarios([(e["name"], e["weight"], e["pd_multiplier"]) for e in entries])
    except (KeyError, TypeError):
        raise ConfigError("ecl.scenarios: each scenario needs name, weight and pd_multiplier") from None
    except ValueError as exc:
        raise ConfigError(f"ecl.scenarios: {exc}") from None
    return EclSettings(
        mode=mode, default_dpd=default_dpd,
        behavioural_life=_get(raw, "ecl.behavioural_life", int),
        workout_months=_get(raw, "ecl.workout_months", int),
        lgd_fallback=fallback,
        lgd_min_accounts=_get(raw, "ecl.lgd_min_accounts", int),
        pd_min_row_accounts=_get(raw, "ecl.pd_min_row_accounts", int),
        ccf=tuple((product, float(factor)) for product, factor in ccf.items()),
        scenarios=tuple(scenarios),
    )


def _addresses(value: object, setting: str, required: bool = False) -> tuple[str, ...]:
    valid = isinstance(value, list) and all(isinstance(a, str) and re.fullmatch(r"[^@\s]+@[^@\s]+", a) for a in value)
    if not valid or (required and not value):
        raise ConfigError(f"{setting}: expected a list of {'one or more ' if required else ''}email addresses, "
                          f"got {value!r}")
    return tuple(value)


def _delivery(raw: dict, env: dict[str, str]) -> DeliverySettings:
    tls = _get(raw, "delivery.tls", str)
    if tls not in TLS_MODES:
        raise ConfigError(f"delivery.tls: one of {', '.join(TLS_MODES)}, got {tls!r}")
    port = _get(raw, "delivery.smtp_port", int)
    if not 0 < port < 65536:
        raise ConfigError(f"delivery.smtp_port: a TCP port, got {port}")
    for key in ("delivery.attempts", "delivery.timeout_seconds"):
        if _get(raw, key, float if key.endswith("seconds") else int) <= 0:
            raise ConfigError(f"{key}: must be positive")
    if _get(raw, "delivery.retry_delay_seconds", float) < 0:
        raise ConfigError("delivery.retry_delay_seconds: must not be negative")
    recipients = _get(raw, "delivery.recipients", dict)
    return DeliverySettings(
        smtp_host=_get(raw, "delivery.smtp_host", str, ""),
        smtp_port=port,
        tls=tls,
        smtp_user=_get(raw, "delivery.smtp_user", str, ""),
        smtp_password=env.get(PASSWORD_VARIABLE),
        sender=_addresses([_get(raw, "delivery.sender", str)], "delivery.sender")[0],
        timeout_seconds=_get(raw, "delivery.timeout_seconds", float),
        attempts=_get(raw, "delivery.attempts", int),
        retry_delay_seconds=_get(raw, "delivery.retry_delay_seconds", float),
        outbox=_path(env, "RISKPACK_OUTBOX", "data/outbox"),
        recipients=tuple((pack, _addresses(to, f"delivery.recipients.{pack}")) for pack, to in recipients.items()),
        operators=_addresses(_get(raw, "alerts.operators", list), "alerts.operators", required=True),
    )


def _cron(expression: str) -> str:
    fields = expression.split()
    if len(fields) != 5 or not all(re.fullmatch(r"[0-9*/,-]+", f) for f in fields):
        raise ConfigError(f"schedule.cron: five cron fields like \"0 2 * * *\", got {expression!r}")
    return expression


def _regimes(raw: list) -> tuple[tuple[str, date], ...]:
    entries = []
    for entry in raw:
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, str) for v in entry)):
            raise ConfigError(f"regulatory.schedule: entries are [regime, \"YYYY-MM-DD\"], got {entry!r}")
        if entry[0] not in CLASSIFICATION_REGIMES:
            raise ConfigError(f"regulatory.schedule: unknown regime {entry[0]!r} "
                              f"(one of {', '.join(CLASSIFICATION_REGIMES)})")
        try:
            entries.append((entry[0], date.fromisoformat(entry[1])))
        except ValueError:
            raise ConfigError(f"regulatory.schedule: {entry[1]!r} is not a date YYYY-MM-DD") from None
    if not entries:
        raise ConfigError("regulatory.schedule: at least one regime is needed")
    if len({day for _, day in entries}) < len(entries):
        raise ConfigError("regulatory.schedule: two regimes share an effective date")
    return tuple(sorted(entries, key=lambda e: e[1]))


def _early_warning(table: dict) -> tuple[Thresholds, ScoreSettings]:
    """The [early_warning] keys set fields of the signal thresholds or the score settings (whose
    own checks validate them); anything else is a typo."""
    names = {f.name: kind for kind in (Thresholds, ScoreSettings) for f in dataclasses.fields(kind)}
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise ConfigError(f"early_warning.{unknown[0]}: unknown setting")
    try:
        return (Thresholds(**{k: v for k, v in table.items() if names[k] is Thresholds}),
                ScoreSettings(**{k: (tuple(v) if isinstance(v, list) else v)
                                 for k, v in table.items() if names[k] is ScoreSettings}))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"early_warning: {exc}") from None


def _ratio(raw: dict, key: str, ceiling: float) -> float:
    value = _get(raw, key, float)
    if not 0 <= value <= ceiling:
        raise ConfigError(f"{key}: between 0 and {ceiling:g}, got {value}")
    return value


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"schedule.timezone: not an IANA time zone, got {name!r}") from None
    return name


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Reads and validates the configuration; raises ConfigError naming the bad setting."""
    env = dict(os.environ if env is None else env)
    config_file = _path(env, "RISKPACK_CONFIG", "riskpack.toml")
    try:
        text = config_file.read_bytes().decode("utf-8")  # as is, not newline-translated: its digest is the file's
    except FileNotFoundError:
        raise ConfigError(f"RISKPACK_CONFIG: config file {config_file} does not exist") from None
    settings = settings_from_toml(text, config_file, env)
    mail = settings.delivery
    if mail.smtp_user and mail.smtp_host and not mail.smtp_password:
        raise ConfigError(f"{PASSWORD_VARIABLE}: delivery.smtp_user is set, so the SMTP password must be in "
                          "the environment")
    return settings


def settings_from_toml(text: str, config_file: Path, env: dict[str, str]) -> Settings:
    """The settings of a configuration's text: the file's, or one a month was computed with.
    Needs no secret: the SMTP password is required of the settings the job runs with
    (`load_settings`), not of a stored text read back to print the parameters a month used."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"RISKPACK_CONFIG: {config_file} is not valid TOML: {exc}") from None

    threshold = _get(raw, "loader.quarantine_threshold", float)
    if not 0 <= threshold <= 1:
        raise ConfigError(f"loader.quarantine_threshold: must be between 0 and 1, got {threshold}")
    try:
        tolerance = Decimal(str(_get(raw, "loader.rollforward_tolerance", str)))
    except InvalidOperation:
        raise ConfigError("loader.rollforward_tolerance: expected a decimal string like \"1.00\"") from None
    if tolerance < 0:
        raise ConfigError(f"loader.rollforward_tolerance: must not be negative, got {tolerance}")
    demo_format = _get(raw, "demo.format", str, "csv")
    if demo_format not in SUPPORTED_FORMATS:
        raise ConfigError(f"demo.format: one of {', '.join(SUPPORTED_FORMATS)}, got {demo_format!r}")
    locales = _get(raw, "reports.locales", list, ["en"])
    if not locales or not all(loc in ("en", "zh-CN") for loc in locales):
        raise ConfigError(f"reports.locales: each of 'en', 'zh-CN', got {locales!r}")
    currency = _get(raw, "portfolio.currency", str)
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise ConfigError(f"portfolio.currency: an ISO 4217 code like CNY, got {currency!r}")
    for key in ("sensor.settle_minutes", "demo.accounts", "demo.months", "vintage.horizon", "roll_rates.window",
                "roll_rates.projection_months", "states.charge_off_dpd"):
        if _get(raw, key, int) <= 0:
            raise ConfigError(f"{key}: must be positive")
    n_periods = _get(raw, "vintage.n_periods", int)
    if n_periods < 0:
        raise ConfigError(f"vintage.n_periods: 0 (all origins) or a positive count, got {n_periods}")

    edges = _bucket_edges(_get(raw, "states.bucket_edges", list))
    return Settings(
        landing_dir=_path(env, "RISKPACK_LANDING_DIR", "data/landing"),
        warehouse=_path(env, "RISKPACK_WAREHOUSE", "data/warehouse.duckdb"),
        output_dir=_path(env, "RISKPACK_OUTPUT_DIR", "data/reports"),
        config_file=config_file,
        configuration=Configuration(config_file.name, text),
        portfolio_name=_get(raw, "portfolio.name", str),
        currency=currency,
        first_month=_month(_get(raw, "portfolio.first_month", str), "portfolio.first_month"),
        bucket_edges=edges,
        quarantine_threshold=threshold,
        rollforward_tolerance=tolerance,
        demo_accounts=_get(raw, "demo.accounts", int),
        demo_months=_get(raw, "demo.months", int),
        demo_first_month=_month(_get(raw, "demo.first_month", str), "demo.first_month"),
        demo_seed=_get(raw, "demo.seed", int),
        demo_format=demo_format,
        locales=tuple(locales),
        percent_decimals=_get(raw, "reports.percent_decimals", int, 2),
        vintage_horizon=_get(raw, "vintage.horizon", int),
        vintage_n_periods=n_periods or None,
        charge_off_dpd=_get(raw, "states.charge_off_dpd", int),
        roll_window=_get(raw, "roll_rates.window", int),
        projection_months=_get(raw, "roll_rates.projection_months", int),
        ecl=_ecl(raw, edges),
        early_warning=_early_warning(raw.get("early_warning", {})),
        regime_schedule=_regimes(_get(raw, "regulatory.schedule", list)),
        provision_coverage_min=_ratio(raw, "regulatory.provision_coverage_min", 5.0),
        loan_provision_ratio_min=_ratio(raw, "regulatory.loan_provision_ratio_min", 1.0),
        schedule_cron=_cron(_get(raw, "schedule.cron", str)),
        schedule_timezone=_timezone(_get(raw, "schedule.timezone", str)),
        sensor_settle_seconds=60.0 * _get(raw, "sensor.settle_minutes", int),
        delivery=_delivery(raw, env),
    )
