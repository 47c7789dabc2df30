"""The Discord harness fixtures (fake Discord on 127.0.0.1) for the platform-fault tests."""

from tests.discord.conftest import (  # noqa: F401
    app,
    fake,
    harness,
    library_errors,
    settings,
)
