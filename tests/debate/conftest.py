from pathlib import Path

import pytest

from handlers.debate.loader import DEBATE_FILE, parse_debate_map

CONTENT = Path(__file__).resolve().parents[2] / "handlers" / "topics" / "distillation"
SEED_ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_c226d98cb0c65914.txt"


@pytest.fixture(scope="session")
def article_text() -> str:
    shipped = CONTENT / "article.zh.md"
    path = shipped if shipped.exists() else SEED_ARTICLE
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def debate_toml() -> str:
    return (CONTENT / DEBATE_FILE).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def debate_map(debate_toml, article_text):
    return parse_debate_map(debate_toml, article_text=article_text)


@pytest.fixture(scope="session")
def english_text() -> str:
    return (CONTENT / "article.en.md").read_text(encoding="utf-8")
