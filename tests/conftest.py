"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings

from bot.app import Parley
from parley.features import build_features
from tests.support import FakeClock, RecordingGateway, make_settings

pytest_plugins = ["tests.postgres"]  # a real PostgreSQL server, started only for tests that ask

# CI replays the same examples on every run (a red build is never a coin toss); local runs draw
# fresh ones. HYPOTHESIS_PROFILE chooses one explicitly, e.g. to replay CI's examples locally.
settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None, print_blob=True)
settings.register_profile("dev", derandomize=False, max_examples=100)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev"
)
settings.load_profile(HYPOTHESIS_PROFILE)


def _profile_line() -> str:
    chosen = settings.get_profile(HYPOTHESIS_PROFILE)
    return (
        f"hypothesis profile: {HYPOTHESIS_PROFILE} (derandomize={chosen.derandomize},"
        f" max_examples={chosen.max_examples})"
    )


def pytest_report_header(config: pytest.Config) -> str:
    return _profile_line()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Also at the end, since `-q` (the default here) hides the header."""
    if terminalreporter.verbosity < 0:
        terminalreporter.write_line(_profile_line())


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def any_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The storage contract on both engines: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "contract.db")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def app(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Parley]:
    """The real application (all features) on a fresh SQLite file, with a recording gateway."""
    async with Parley.open(make_settings(tmp_path), clock, features=build_features) as parley:
        parley.services.outbox.register(RecordingGateway())
        yield parley
