"""The fonts shipped for charts: CJK text and monochrome emoji (subsets of Noto; see README.md)."""

from pathlib import Path

CJK_FONT_PATH = Path(__file__).with_name("ParleySansCJK-Regular.otf")
EMOJI_FONT_PATH = Path(__file__).with_name("ParleyEmoji-Regular.ttf")
