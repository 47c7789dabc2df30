"""Reading typed lines in a terminal: line editing and a bounded history, with `readline`.

Arrow keys move in the line and through earlier lines; the history is kept in a private file
under the user's state directory between runs. Where the standard library has no `readline`
(Windows), lines are read plainly. Scripts and piped input never come here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

log = logging.getLogger("parley.console")

HISTORY_LINES = 1000
"""How many typed lines the history keeps (the oldest go first)."""
_ESCAPE = re.compile(r"(\x1b\[[0-9;]*m)")


def default_history_file(environ: Mapping[str, str]) -> Path:
    """`$XDG_STATE_HOME/parley/console_history`, else `~/.local/state/parley/console_history`."""
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "parley" / "console_history"


class LineReader:
    """Reads one line at a time after a prompt; None at the end of input (Ctrl-D, Ctrl-C)."""

    def __init__(self, history_file: Path | None, *, limit: int = HISTORY_LINES) -> None:
        self._history_file = history_file
        self._readline = _load_readline()
        if self._readline is not None:
            self._readline.set_history_length(limit)
            self._load_history()

    def read(self, prompt: str) -> str | None:
        """Show `prompt`, read a line (editable, with history) and remember it."""
        try:
            line = input(self._marked(prompt))
        except (EOFError, KeyboardInterrupt):
            return None
        self._save_history()
        return line

    def _marked(self, prompt: str) -> str:
        """Mark colour codes as invisible, so that readline knows where the cursor is."""
        if self._readline is None:
            return prompt
        return _ESCAPE.sub("\x01\\1\x02", prompt)

    def _load_history(self) -> None:
        if self._readline is None or self._history_file is None:
            return
        with contextlib.suppress(FileNotFoundError):
            try:
                self._readline.read_history_file(str(self._history_file))
            except OSError as error:
                log.info("event=console_history_unreadable error=%s", type(error).__name__)

    def _save_history(self) -> None:
        """Write the bounded history, readable by its owner only (lines may be private)."""
        if self._readline is None or self._history_file is None:
            return
        try:
            self._history_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(self._history_file, os.O_WRONLY | os.O_CREAT, 0o600))
            os.chmod(self._history_file, 0o600)
            self._readline.write_history_file(str(self._history_file))
        except OSError as error:
            log.info("event=console_history_unwritable error=%s", type(error).__name__)


def _load_readline() -> ModuleType | None:
    """The standard library's `readline`, where the platform has it."""
    try:
        import readline
    except ImportError:
        return None
    return readline
