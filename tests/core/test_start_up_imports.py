"""Start-up stays light: building the features loads neither matplotlib, numpy nor httpx.

Charts and the common-ground analysis import matplotlib and numpy when first used; at start-up
they would double the bot's memory (about 40 MiB) and add most of a second. httpx, with the
modules it brings (its command-line tool's click and pygments among them, about 4 MiB), loads
with the first article fetched from a URL.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOADED_ON_FIRST_USE = {"matplotlib", "numpy", "httpx"}


def test_building_the_features_imports_no_plotting_numeric_or_http_client_library():
    probe = (
        "import sys, parley.cli, parley.features;"
        f" print(sorted(set({sorted(LOADED_ON_FIRST_USE)!r}) & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
