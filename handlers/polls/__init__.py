"""Polls: the pure rules, counting, privacy and rendering behind `/poll` and `/stance`."""
