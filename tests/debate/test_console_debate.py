import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import Parley
from handlers.debate.loader import DebateContentError
from parley.features import build_features
from tests.support import FakeClock, make_settings
from tests.topic_data import copy_shipped_topic

ROOT = Path(__file__).resolve().parents[2]


def run_console(tmp_path, *lines, locale=None):
    env = {**os.environ, "PARLEY_DB": str(tmp_path / "console.db"), "NO_COLOR": "1"}
    for key in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "PARLEY_LOCALE", "PARLEY_LOG_LEVEL"):
        env.pop(key, None)
    if locale:
        env["PARLEY_LOCALE"] = locale
    args = [arg for line in lines for arg in ("-c", line)]
    return subprocess.run(
        [sys.executable, "-m", "parley", "console", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_console_one_shot_debate_and_press(tmp_path):
    result = run_console(tmp_path, "/debate", "/press 1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Both sides: the distillation debate" in out
    assert "[1] Open:" in out and "Fact-checks" in out
    assert "#1 parley ✎ edited" in out and "Side: " in out and "Other side: " in out


@pytest.mark.slow
def test_console_one_shot_argue_and_moderate(tmp_path):
    result = run_console(
        tmp_path,
        "/as bob",
        "/argue critics Model outputs are not copyrighted, so this is not theft.",
        "/as operator",
        "/argue queue",
        "/press 1",
        "/debate community",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Your argument #1" in out and "Approved argument #1." in out
    assert "No balanced view yet" in out


@pytest.mark.slow
def test_console_in_chinese(tmp_path):
    result = run_console(tmp_path, "/debate claim C1", locale="zh")
    assert result.returncode == 0, result.stderr
    assert "论点 C1" in result.stdout and "另一方：" in result.stdout


async def test_broken_map_fails_start_up_with_a_clear_message(tmp_path, monkeypatch, debate_toml):
    broken = debate_toml.replace(
        'sources = ["anthropic_post", "livemint", "cnn"]', "sources = []", 1
    )
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    (folder / "debate.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(DebateContentError, match=r"debate\.toml: claim L1: has no sources"):
        async with Parley.open(make_settings(tmp_path), FakeClock(), features=build_features):
            pass
