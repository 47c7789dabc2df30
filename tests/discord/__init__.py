"""Discord adapter tests.

discord.py imports the standard library's `audioop` (for voice), which warns about its removal
on Python 3.11–3.12; with warnings as errors that import would fail, so it is done once here
with that one warning silenced.
"""

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord  # noqa: F401
