"""Start-up stays light: building the features loads neither matplotlib nor numpy.

Charts and the common-ground analysis import them when first used; at start-up they would
double the bot's memory (about 40 MiB) and add most of a second.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_building_the_features_imports_no_plotting_or_numeric_library():
    probe = "import sys, parley.features; print(sorted({'matplotlib', 'numpy'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
