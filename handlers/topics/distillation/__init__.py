"""Data package: the distillation topic's articles (Markdown), debate map and polls (TOML)."""
