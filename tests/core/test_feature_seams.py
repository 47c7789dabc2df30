"""Features stand alone: summary and articles do not import each other (read with `ast`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {("handlers.articles", "handlers.summary.actions")}
"""The one exception: articles makes the summary's button with its exported press class."""


def imported_by(package: str) -> set[str]:
    """Every absolute module any file of `package` imports, at the top or inside a function."""
    names: set[str] = set()
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return names


@pytest.mark.parametrize(
    ("package", "other"),
    [("handlers.summary", "handlers.articles"), ("handlers.articles", "handlers.summary")],
)
def test_summary_and_articles_do_not_import_each_other(package, other):
    reaching = {
        name
        for name in imported_by(package)
        if (name == other or name.startswith(f"{other}.")) and (package, name) not in ALLOWED
    }
    assert reaching == set()


@pytest.mark.parametrize("package", ["handlers.text", "domain"])
def test_the_shared_text_tools_and_article_vocabulary_import_no_feature(package):
    outside = {
        name
        for name in imported_by(package)
        if name.startswith("handlers") and not name.startswith(package)
    }
    assert outside == set()
