"""The rooms of ARCHITECTURE.md and what each may import, read from the source with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_LIBRARIES = ("discord", "telegram")
ENGINE_LIBRARIES = ("sqlite3", "aiosqlite")


def imports_of(folder: str, *, skip: str | None = None) -> dict[str, set[str]]:
    """Every absolute module each file under `folder` imports, lazily or not, by file."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if skip and relative.startswith(skip):
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        found[relative] = names
    return found


def offending(folder: str, forbidden: tuple[str, ...], *, skip: str | None = None) -> list[str]:
    """`file: module` for each import under `folder` of a module in (or under) `forbidden`."""
    return [
        f"{file}: {name}"
        for file, names in imports_of(folder, skip=skip).items()
        for name in sorted(names)
        if any(name == banned or name.startswith(f"{banned}.") for banned in forbidden)
    ]


@pytest.mark.parametrize(
    ("room", "forbidden", "skip"),
    [
        ("bot", ("handlers", "parley", *PLATFORM_LIBRARIES, *ENGINE_LIBRARIES), "bot/adapters/"),
        ("bot/adapters", ("handlers", "parley", *ENGINE_LIBRARIES), None),
        ("bot/adapters/console", PLATFORM_LIBRARIES, None),
        ("bot/adapters/discord", ("telegram",), None),
        ("bot/adapters/telegram", ("discord",), None),
        ("handlers", ("bot.adapters", "parley", *PLATFORM_LIBRARIES, *ENGINE_LIBRARIES), None),
        ("domain", ("bot.adapters", "handlers", "parley", "storage", *ENGINE_LIBRARIES), None),
        ("storage", ("handlers", "parley", "bot.adapters", *PLATFORM_LIBRARIES), None),
    ],
)
def test_each_room_imports_only_what_it_may(room, forbidden, skip):
    assert offending(room, forbidden, skip=skip) == []


def test_storage_and_domain_use_only_the_core_vocabulary():
    allowed = {"bot.identity", "bot.i18n"}
    for room in ("storage", "domain"):
        core = {
            f"{file}: {name}"
            for file, names in imports_of(room).items()
            for name in names
            if name.startswith("bot.") and name not in allowed
        }
        assert core == set(), room


def test_the_checker_sees_lazy_imports_inside_functions(tmp_path, monkeypatch):
    package = tmp_path / "room"
    package.mkdir()
    (package / "module.py").write_text("def later():\n    import sqlite3\n    return sqlite3\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert offending("room", ENGINE_LIBRARIES) == ["room/module.py: sqlite3"]
