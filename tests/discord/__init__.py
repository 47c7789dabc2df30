"""Discord adapter tests."""
