"""Data package: the distillation topic's articles (Markdown) and their metadata (TOML)."""
