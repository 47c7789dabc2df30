"""The CJK-capable font shipped for charts (a subset of Noto Sans CJK SC; see README.md)."""

from pathlib import Path

CJK_FONT_PATH = Path(__file__).with_name("ParleySansSC-Regular.otf")
