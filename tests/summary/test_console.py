"""The summary commands from a one-shot console run, and `parley article add` for operators."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes or real time: see the README

ROOT = Path(__file__).resolve().parents[2]


def run_cli(args, tmp_path):
    env = {**os.environ, "PARLEY_DB": str(tmp_path / "cli.db"), "NO_COLOR": "1"}
    for key in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "PARLEY_LOCALE", "PARLEY_LOG_LEVEL"):
        env.pop(key, None)
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "parley", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_console_one_shot_summaries(tmp_path):
    result = run_cli(["console", "-c", "/summary short", "-c", "/summary long en"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Is Anthropic Panicking?") == 2
    assert "human coders" in out and "24,000 fake accounts" in out
    assert "Reduced by" in out and "[1] Short" in out
    assert "Traceback" not in out + result.stderr


def test_operator_adds_an_article_from_a_file(tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Harbour Plan\n\nThe port grows. Fishers object.\n", encoding="utf-8")
    added = run_cli(["article", "add", str(note)], tmp_path)
    assert added.returncode == 0, added.stderr
    assert "Added article 1: Harbour Plan" in added.stdout
    listed = run_cli(["console", "-c", "/article list"], tmp_path)
    assert "1 — Harbour Plan" in listed.stdout
    missing = run_cli(["article", "add", str(tmp_path / "missing.md")], tmp_path)
    assert missing.returncode == 1 and "Cannot read" in missing.stderr
    private = run_cli(["article", "add", "http://127.0.0.1/"], tmp_path)
    assert private.returncode == 1 and "private" in private.stderr


def test_console_tour_of_a_corrected_summary(tmp_path):
    """A moderator edits, takes back and restores a summary in a Chinese chat in Shanghai."""
    steps = [
        "/settings language zh",
        "/settings timezone Asia/Shanghai",
        "/summary edit Anthropic accused three Chinese labs; the labs have not answered.",
        "/summary 简短 英文",  # the edit is in English: the English edition's
        "/press 编辑后的摘要",
        "/summary edit --reset",
        "/summary history",
        "/press 恢复第 1 版",
    ]
    result = run_cli(["console", *(arg for step in steps for arg in ("-c", step))], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "篇幅缩减" in out and "[6] 编辑后的摘要" in out
    assert "已恢复自动摘要（英文）。" in out
    assert "时间按本群时区 Asia/Shanghai 显示。" in out and "英文摘要" in out
    assert "已将第 1 版恢复为第 2 版。" in out
    assert "zh-Hans" not in out and "Traceback" not in out + result.stderr
