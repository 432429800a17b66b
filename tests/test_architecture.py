"""The layering rules of the architecture, enforced on the source itself."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# what each package may import, beyond the standard library and its own modules
ALLOWED = {
    "transforms": {"polars", "numpy", "sklearn"},
    "reports": {"transforms", "jinja2", "weasyprint", "matplotlib", "polars", "numpy", "markupsafe"},
    "simulator": {"numpy", "polars", "pyarrow", "tqdm"},
    "adapters": {"simulator", "polars"},
}
PROJECT_PACKAGES = {"orchestration", "transforms", "reports", "simulator", "adapters", "tests"}
THIRD_PARTY = {"dagster", "duckdb", "polars", "numpy", "pyarrow", "jinja2", "weasyprint", "matplotlib", "tqdm",
               "markupsafe", "dagster_webserver", "sklearn"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_run_one_way(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        forbidden = {r for r in imported_roots(path)
                     if r in (PROJECT_PACKAGES | THIRD_PARTY) - ALLOWED[package] - {package}}
        if forbidden:
            offenders.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(forbidden))}")
    assert not offenders, "\n".join(offenders)


def test_the_rule_catches_a_violation(tmp_path):
    sneaky = tmp_path / "x.py"
    sneaky.write_text("import duckdb\nfrom orchestration.config import load_settings\n")
    assert imported_roots(sneaky) >= {"duckdb", "orchestration"}


def test_sql_files_are_lower_case_single_statements():
    for path in sorted((ROOT / "sql").rglob("*.sql")):
        code = "\n".join(line.split("--")[0] for line in path.read_text(encoding="utf-8").splitlines())
        literals_removed = "".join(part for i, part in enumerate(code.split("'")) if i % 2 == 0)
        assert literals_removed == literals_removed.lower(), f"{path.name} is not lower-case"
        assert literals_removed.strip().rstrip(";").count(";") == 0, f"{path.name} holds more than one statement"
