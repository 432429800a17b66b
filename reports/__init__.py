"""Report packs: Jinja2 templates, inline SVG charts and the HTML → PDF renderer.

Receives Polars frames and plain values from the orchestration layer; never imports Dagster,
never opens the warehouse. Entry point of the first pack: `reports.management.render_management_pack`.
"""
