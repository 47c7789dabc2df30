import io
import logging

from bot.logs import REDACTED, configure_logging


def test_secrets_are_redacted_from_messages_and_tracebacks():
    stream = io.StringIO()
    token = "123456:ABC-secret-token"
    configure_logging("INFO", [token], stream)
    log = logging.getLogger("parley.test")
    log.info("event=request url=https://api.telegram.org/bot%s/getMe", token)
    try:
        raise ValueError(f"bad {token}")
    except ValueError:
        log.exception("event=failed")
    text = stream.getvalue()
    assert token not in text and text.count(REDACTED) == 2
    assert all(line.startswith(("ts=", "  ")) for line in text.splitlines())
    logging.getLogger().handlers.clear()
