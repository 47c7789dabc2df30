"""`python -m parley` runs the `parley` command line."""

import sys

from parley.cli import main

sys.exit(main())
