"""A copy of the shipped topic that the topic loader reads instead, for tests that break it."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from handlers.topics import loader

SHIPPED = Path(loader.__file__).parent / loader.DEFAULT_TOPIC


def copy_shipped_topic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Copy the shipped topic under `tmp_path` and point the loader (only it) at the copy."""
    root = tmp_path / "topics"
    folder = root / loader.DEFAULT_TOPIC
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("__pycache__"))
    files = resources.files
    monkeypatch.setattr(
        loader.resources,
        "files",
        lambda package: root if package == loader.__package__ else files(package),
    )
    return folder
