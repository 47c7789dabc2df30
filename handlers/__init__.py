"""Parley's features: each module declares its commands and holds its domain logic beside them."""
