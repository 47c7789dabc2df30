import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.console.adapter import ConsoleAdapter

ROOT = Path(__file__).resolve().parents[2]


def console_for(app, tmp_path, script=None, colour=False):
    output = io.StringIO()
    adapter = ConsoleAdapter(
        app.router,
        output=output,
        operator_name="operator",
        files_dir=tmp_path / "files",
        colour=colour,
        script=script,
        background=app.services.background,
    )
    app.services.outbox.register(adapter.gateway)
    return adapter, output


async def test_buttons_are_numbered_and_pressed_by_number_or_label(demo_app, tmp_path):
    console, output = console_for(demo_app, tmp_path, script=[])
    await console.run_lines(
        ["/counter", "/as alice", "/press 1", "/press +1", "/press reset", "/press 9"]
    )
    text = output.getvalue()
    assert "[1] +1   [2] reset" in text
    assert "#1 parley ✎ edited" in text and "Counter\n2" in text
    assert "Only moderators can press this button." in text
    assert "No button “9” on message #1" in text


async def test_as_switches_speaker_and_operator_is_moderator(demo_app, tmp_path):
    console, output = console_for(demo_app, tmp_path, script=[])
    await console.run_lines(["/wipe", "/as Bob", "/wipe", "/as operator", "/wipe"])
    text = output.getvalue()
    assert text.count("wiped") == 2
    assert "Now speaking as Bob (member) in #console." in text and "(only Bob sees this)" in text


async def test_quit_stops_and_plain_text_gets_a_hint(demo_app, tmp_path):
    console, output = console_for(demo_app, tmp_path, script=[])
    await console.run_lines(["hello", "/quit", "/about"])
    text = output.getvalue()
    assert "Commands start with /" in text and "About Parley" not in text


async def test_attach_reads_a_file_for_the_next_command(demo_app, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# hi", encoding="utf-8")
    console, output = console_for(demo_app, tmp_path, script=[])
    await console.run_lines([f"/attach {note}", f"/attach {tmp_path / 'missing.md'}"])
    text = output.getvalue()
    assert "Attached note.md (4 bytes)" in text and "Cannot attach" in text


async def test_control_characters_from_users_are_not_printed(demo_app, tmp_path):
    console, output = console_for(demo_app, tmp_path, script=[])
    await console.run_lines(["/echo 1 \x1b[31mred\u202eevil"])
    assert "\x1b" not in output.getvalue() and "\u202e" not in output.getvalue()
    assert "redevil" in output.getvalue()


async def test_control_characters_in_console_notes_and_names_are_not_printed(demo_app, tmp_path):
    console, output = console_for(demo_app, tmp_path, script=[])
    await console.run_lines(
        ["/as \x1b[2Jmallory\u202e", "/echo hi", "/press \x1b]0;x\x07", "/attach \x1b[31m"]
    )
    assert "\x1b" not in output.getvalue() and "\u202e" not in output.getvalue()
    assert "\x07" not in output.getvalue()
    assert "mallory@#console> /echo hi" in output.getvalue()


def run_cli(args, tmp_path, stdin=None):
    env = {**os.environ, "PARLEY_DB": str(tmp_path / "cli.db"), "NO_COLOR": "1"}
    for key in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "PARLEY_LOCALE", "PARLEY_LOG_LEVEL"):
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "-m", "parley", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


@pytest.mark.slow
def test_one_shot_console_runs_commands_in_order_and_exits_0(tmp_path):
    result = run_cli(
        [
            "console",
            "-c",
            "/help",
            "-c",
            "/as alice",
            "-c",
            "/settings language zh",
            "-c",
            "/as operator",
            "-c",
            "/settings language zh",
            "-c",
            "/about",
        ],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Parley commands" in out and "/about" in out
    assert "Only moderators can use /settings language" in out
    assert "这里现在使用简体中文。" in out and "关于 Parley" in out
    assert "Traceback" not in out + result.stderr


@pytest.mark.slow
def test_console_reads_commands_from_stdin_and_keeps_state(tmp_path):
    first = run_cli(["console"], tmp_path, stdin="/settings language zh\n")
    assert first.returncode == 0, first.stderr
    second = run_cli([], tmp_path, stdin="/help\n/bogus 'unclosed\n")
    assert second.returncode == 0, second.stderr
    assert "Parley 命令" in second.stdout
    assert "我不认识命令 /bogus" in second.stdout


@pytest.mark.slow
def test_db_backup_command(tmp_path):
    run_cli(["console", "-c", "/settings language zh"], tmp_path)
    result = run_cli(["db", "backup", str(tmp_path / "copy.db")], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "copy.db").stat().st_size > 0


@pytest.mark.slow
def test_invalid_settings_are_explained_without_traceback(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("PARLEY_LOCALE=fr\n", encoding="utf-8")
    result = run_cli(["console", "-c", "/help"], tmp_path)
    assert result.returncode == 2
    assert "PARLEY_LOCALE" in result.stderr or "locale" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_operator_forget_user_command(tmp_path):
    run_cli(["console", "-c", "/post summary"], tmp_path)
    result = run_cli(["forget-user", "console", "operator"], tmp_path)
    assert result.returncode == 0, result.stderr
    reported = r"Removed or anonymized [1-9]\d* records? of console:operator\."
    assert re.search(reported, result.stdout), result.stdout


@pytest.mark.slow
def test_unusable_database_files_are_explained_without_traceback(tmp_path):
    (tmp_path / "cli.db").write_text("not a database\n", encoding="utf-8")
    foreign = run_cli(["console", "-c", "/help"], tmp_path)
    assert foreign.returncode == 1
    assert "Cannot open the database" in foreign.stderr and "cli.db" in foreign.stderr
    assert "file is not a database" in foreign.stderr

    (tmp_path / "cli.db").unlink()
    run_cli(["console", "-c", "/about"], tmp_path)
    onto_itself = run_cli(["db", "backup", str(tmp_path / "cli.db")], tmp_path)
    assert onto_itself.returncode == 1
    assert "is the database itself" in onto_itself.stderr
    (tmp_path / "taken").mkdir()
    unwritable = run_cli(["db", "backup", str(tmp_path / "taken")], tmp_path)
    assert unwritable.returncode == 1
    assert "Cannot write the backup to" in unwritable.stderr
    for result in (foreign, onto_itself, unwritable):
        assert "Traceback" not in result.stderr


class Terminal:
    """The real entry point (`python -m parley`) on a pseudo-terminal: type, then read."""

    def __init__(self, env: dict[str, str]) -> None:
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the real entry point on a terminal
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "parley"], env)
        self.output = b""

    def read_until(self, marker: bytes, count: int = 1, within: float = 30) -> None:
        import select
        import time

        end = time.monotonic() + within
        while self.output.count(marker) < count and time.monotonic() < end:
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def close(self) -> int:
        """Wait for the exit; its exit code."""
        try:
            _, status = os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def terminal_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PARLEY_DB": str(tmp_path / "tty.db"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    for key in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "PARLEY_LOCALE", "PARLEY_CONSOLE_HISTORY"):
        env.pop(key, None)
    return env


PROMPT = b"operator@#console (mod)> "
LEFT, UP = b"\x1b[D", b"\x1b[A"


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_interactive_console_in_a_terminal(tmp_path):
    terminal = Terminal(terminal_env(tmp_path))
    terminal.read_until(PROMPT)
    terminal.type(b"/about\r")
    terminal.read_until(b"About Parley")
    terminal.type(b"/quit\r")
    assert terminal.close() == 0
    text = terminal.output.decode(errors="replace")
    assert "Type /help to begin" in text and "About Parley" in text
    assert "\x1b[1m" in text  # colour on a terminal


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_interactive_console_edits_lines_and_keeps_a_bounded_private_history(tmp_path):
    history = tmp_path / "state" / "parley" / "console_history"
    history.parent.mkdir(parents=True)
    history.write_text("".join(f"# old line {n}\n" for n in range(1500)) + "/about\n")
    terminal = Terminal(terminal_env(tmp_path))
    terminal.read_until(PROMPT)
    terminal.type(UP + b"\r")  # the last line of the previous run
    terminal.read_until(b"About Parley")
    terminal.read_until(PROMPT, count=2)
    terminal.type(b"/aout" + LEFT * 3 + b"b\r")  # the cursor moves back; "b" goes in
    terminal.read_until(b"About Parley", count=2)
    terminal.read_until(PROMPT, count=3)
    terminal.type(b"/quit\r")
    assert terminal.close() == 0
    text = terminal.output.decode(errors="replace")
    assert text.count("About Parley") == 2, text[-2000:]
    assert "^[[" not in text and "Commands start with /" not in text
    kept = history.read_text().splitlines()
    assert len(kept) <= 1000 and kept[-2:] == ["/about", "/quit"]
    assert history.stat().st_mode & 0o777 == 0o600
