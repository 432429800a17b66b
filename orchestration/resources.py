"""The one resource: the settings in force, resolved from the environment and the TOML file."""

from __future__ import annotations

from dagster import ConfigurableResource

from orchestration.config import Settings, load_settings


class RiskpackSettings(ConfigurableResource):
    """Resolved per run, so a test or an operator changes paths through the environment."""

    def get(self) -> Settings:
        return load_settings()
