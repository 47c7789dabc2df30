"""Choosing the database: PARLEY_DATABASE_URL (or the older PARLEY_DB) names a file or a server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings
from parley.cli import main
from storage.url import DatabaseUrl, Engine


@pytest.mark.parametrize(
    ("text", "engine", "target"),
    [
        ("parley.db", Engine.SQLITE, "parley.db"),
        ("/srv/parley/parley.db", Engine.SQLITE, "/srv/parley/parley.db"),
        ("sqlite:///data/parley.db", Engine.SQLITE, "data/parley.db"),
        ("sqlite:////srv/parley.db", Engine.SQLITE, "/srv/parley.db"),
        ("sqlite:///:memory:", Engine.SQLITE, ":memory:"),
        ("postgresql://parley@db/parley", Engine.POSTGRESQL, "postgresql://parley@db/parley"),
        ("postgres://parley@db/parley", Engine.POSTGRESQL, "postgres://parley@db/parley"),
    ],
)
def test_a_path_or_url_picks_the_engine(text: str, engine: Engine, target: str) -> None:
    url = DatabaseUrl.parse(text)
    assert (url.engine, url.target) == (engine, target)
    assert (url.path is None) == (engine is Engine.POSTGRESQL or target == ":memory:")


@pytest.mark.parametrize("text", ["mysql://db/parley", "", "sqlite:///", "postgresql:db"])
def test_anything_else_is_refused_in_plain_words(text: str) -> None:
    with pytest.raises(ValueError, match=r"database|sqlite|engine"):
        DatabaseUrl.parse(text)


def test_a_password_never_shows() -> None:
    url = DatabaseUrl.parse("postgresql://parley:s3cret@db:5432/parley?sslmode=require")
    assert "s3cret" not in url.redacted() and "s3cret" not in str(url)
    assert url.redacted() == "postgresql://parley:***@db:5432/parley?sslmode=require"
    settings = Settings(_env_file=None, PARLEY_DATABASE_URL=url.target)  # type: ignore[call-arg]
    assert "s3cret" in settings.secrets()  # so the logs redact it


def test_the_url_setting_wins_over_the_older_name_and_is_checked(tmp_path: Path) -> None:
    both = Settings(  # type: ignore[call-arg]
        _env_file=None, PARLEY_DB=tmp_path / "old.db", PARLEY_DATABASE_URL="postgresql://db/p"
    )
    assert both.database_url.engine is Engine.POSTGRESQL and both.database_path is None
    old = Settings(_env_file=None, PARLEY_DB=tmp_path / "old.db")  # type: ignore[call-arg]
    assert old.database_path == tmp_path / "old.db"
    assert Settings(_env_file=None).database_path == Path("parley.db")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="unknown database engine"):
        Settings(_env_file=None, PARLEY_DATABASE_URL="mysql://db/p")  # type: ignore[call-arg]


def test_db_backup_on_postgresql_says_how_to_back_it_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARLEY_DATABASE_URL", "postgresql://parley:pw@nowhere.invalid/parley")
    assert main(["db", "backup", str(tmp_path / "copy.db")]) == 1
    error = capsys.readouterr().err
    assert "pg_dump" in error and "parley db copy" in error and "pw@" not in error
    assert not (tmp_path / "copy.db").exists()
