"""Adapters: one per platform, turning its events into invocations and rendering replies."""
