"""Parley: a discussion bot for Discord, Telegram and the console."""
