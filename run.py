#!/usr/bin/env python3
"""Set up Parley's virtual environment if needed, then run the bot or the tests.

    python3 run.py            # the bot: Discord/Telegram when tokens are set, else the console
    python3 run.py test       # the whole test suite (what CI runs)
    python3 run.py ARGS...    # any `parley` command, e.g. `console -c "/help"` or `db backup x.db`

Needs only Python 3.11+ with pip. Idempotent: the environment in `.venv` is reused, and
reinstalled only when `pyproject.toml` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".parley-installed"


def ensure_environment() -> Path:
    """Create `.venv` and install Parley with its test extras, unless already up to date."""
    python = BIN / ("python.exe" if os.name == "nt" else "python")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print("run.py: creating .venv …", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("run.py: installing Parley and its dependencies …", file=sys.stderr)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True, cwd=ROOT)
    STAMP.write_text(wanted)
    return python


def main() -> int:
    """Run the bot (default) or the tests (`test`)."""
    python = ensure_environment()
    arguments = sys.argv[1:]
    if arguments[:1] == ["test"]:
        command = [str(python), "-m", "pytest", *arguments[1:]]
    else:
        command = [str(python), "-m", "parley", *arguments]
    os.chdir(ROOT)
    if os.name == "nt":
        return subprocess.call(command)
    os.execv(command[0], command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
