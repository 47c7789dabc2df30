"""The console chat: every feature from a terminal, with no tokens and no network."""
