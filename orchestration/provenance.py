"""The settings behind a month's figures, read back from what each step recorded when it computed
the month (audit.month_configuration): a pack prints those, not whatever the configuration file
says on the day it is rendered, and takes the methodology choices it states (ECL measurement,
classification regime) from the step that applied them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.config import ConfigError, Settings, settings_from_toml
from orchestration.steps import MONTH_STEPS
from reports.i18n import Phrase, phrase


@dataclass(frozen=True)
class ComputedWith:
    rendering: Settings                          # the configuration the document is rendered with
    steps: Mapping[str, Settings]                # step -> the settings it computed the month with
    digests: Mapping[str, str]                   # step -> SHA-256 of that configuration's text
    unreadable: Mapping[str, str]                # SHA-256 -> why this version cannot read it

    def of(self, step: str) -> Settings:
        """The settings `step` computed the month with; the rendering ones where none are on record."""
        return self.steps.get(step, self.rendering)

    def unrecorded(self) -> list[str]:
        """The steps with no record of the month while others have one (computed before the record
        was kept, and not run again since)."""
        return [step for step in MONTH_STEPS if step not in self.digests] if self.digests else []

    def groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each configuration on record with the steps that used it, in the order the record lists them."""
        steps_of: dict[str, list[str]] = {}
        for step, digest in self.digests.items():
            steps_of.setdefault(digest, []).append(step)
        return [(digest, tuple(steps)) for digest, steps in steps_of.items()]

    def parameters(self) -> dict[str, object]:
        """The parameters behind the figures: where steps used different configurations, a value
        that differs names the steps that used each."""
        readable = [(digest, steps) for digest, steps in self.groups() if digest not in self.unreadable]
        if not readable:
            return self.rendering.parameters()
        shown = [(steps, self.steps[steps[0]].parameters()) for _, steps in readable]
        if len(shown) == 1:
            return shown[0][1]
        names = list(dict.fromkeys(name for _, parameters in shown for name in parameters))
        merged: dict[str, object] = {}
        for name in names:
            values = [(steps, parameters.get(name, phrase("param.none"))) for steps, parameters in shown]
            merged[name] = values[0][1] if all(v == values[0][1] for _, v in values) else tuple(
                phrase("param.by_steps", value=value, steps=", ".join(steps)) for steps, value in values)
        return merged

    def note(self) -> Phrase:
        """What the parameters table shows, said under it."""
        groups, unrecorded = self.groups(), self.unrecorded()
        if not groups:
            return phrase("param.note.rendering")
        unreadable = [(digest, steps) for digest, steps in groups if digest in self.unreadable]
        error = "; ".join(self.unreadable[digest] for digest, _ in unreadable)
        if len(unreadable) == len(groups):
            return phrase("param.note.unreadable", digest=", ".join(digest for digest, _ in unreadable), error=error)
        if unrecorded:
            note = phrase("param.note.partial", steps=", ".join(unrecorded))
        elif len(groups) > 1:
            note = phrase("param.note.mixed", count=len(groups))
        else:
            digest, steps = groups[0]
            changed = digest != self.rendering.configuration.sha256
            return phrase("param.note.changed" if changed else "param.note.computed",
                          file=self.steps[steps[0]].config_file.name, digest=digest)
        if not unreadable:
            return note
        return phrase("param.note.also_unreadable", note=note,
                      steps=", ".join(step for _, steps in unreadable for step in steps), error=error)

    def lineage(self) -> dict[str, str]:
        """The configurations' digests (each with its steps unless one covers every step); nothing
        when none is on record."""
        groups = self.groups()
        if not groups:
            return {}
        if len(groups) == 1 and not self.unrecorded():
            return {"configuration SHA-256": groups[0][0]}
        return {"configuration SHA-256": "; ".join(f"{digest} ({', '.join(steps)})" for digest, steps in groups)}


def computed_with(rendering: Settings, recorded: pl.DataFrame, env: Mapping[str, str]) -> ComputedWith:
    """`recorded`: read/month_configurations (step, config_file, config_sha256, config_text); `env`:
    the environment the rendering settings were read from (its paths)."""
    steps: dict[str, Settings] = {}
    digests: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    parsed: dict[str, Settings] = {}
    for row in recorded.iter_rows(named=True):  # one row per step: a handful
        digest = row["config_sha256"]
        digests[row["step"]] = digest
        if digest not in parsed and digest not in unreadable:
            try:
                parsed[digest] = settings_from_toml(row["config_text"], Path(row["config_file"]), dict(env))
            except ConfigError as exc:
                unreadable[digest] = str(exc)
        if digest in parsed:
            steps[row["step"]] = parsed[digest]
    return ComputedWith(rendering, steps, digests, unreadable)
