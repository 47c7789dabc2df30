"""`python -m bot` runs the `parley` command line."""

import sys

from bot.cli import main

sys.exit(main())
