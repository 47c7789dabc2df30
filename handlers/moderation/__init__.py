"""Moderator tools: post, schedule, configure, audit, and forget a person's data."""
