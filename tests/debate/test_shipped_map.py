import re

from bot.i18n import Localized
from handlers.debate.model import ClaimStatus, Reliability
from handlers.topics.loader import DEFAULT_TOPIC, load_topic

CLAIM_ID = re.compile(r"^[LC]\d{1,2}$")


def test_the_topic_loader_returns_the_shipped_map(debate_map):
    assert load_topic(DEFAULT_TOPIC).debate_map == debate_map
    assert debate_map.topic == "distillation"


def test_sides_are_balanced_and_large_enough(debate_map):
    labs, critics = debate_map.sides
    assert {labs.id, critics.id} == {"accusers", "defenders"}
    assert len(labs.claims) >= 10 and len(critics.claims) >= 10
    assert abs(len(labs.claims) - len(critics.claims)) <= 1


def test_every_claim_is_sourced_and_answered_by_the_other_side(debate_map):
    for side in debate_map.sides:
        other = debate_map.other_side(side.id)
        other_ids = {claim.id for claim in other.claims}
        for claim in side.claims:
            assert CLAIM_ID.match(claim.id)
            assert claim.sources
            assert claim.rebutted_by
            assert set(claim.rebutted_by) <= other_ids
            assert isinstance(claim.status, ClaimStatus)


def test_every_text_has_both_languages(debate_map):
    texts = [debate_map.question, debate_map.background]
    for side in debate_map.sides:
        texts += [side.label, side.summary]
        for claim in side.claims:
            texts += [claim.statement, claim.explanation, claim.status_note]
    for check in debate_map.fact_checks:
        texts += [check.verdict, check.finding]
    texts += [event.text for event in debate_map.timeline]
    for entry in debate_map.glossary:
        texts += [entry.term, entry.definition]
    for text in texts:
        assert isinstance(text, Localized)
        assert re.search(r"[\u4e00-\u9fff]", text.render("zh")), text.en


def test_sources_are_http_urls_with_known_markers(debate_map):
    sources = [s for side in debate_map.sides for c in side.claims for s in c.sources]
    sources += [s for check in debate_map.fact_checks for s in check.sources]
    sources += [s for event in debate_map.timeline for s in event.sources]
    for source in sources:
        assert source.url.startswith(("https://", "http://"))
        assert isinstance(source.reliability, Reliability)
        assert source.title and source.publisher


def test_fact_checks_quote_the_article_verbatim(debate_map, article_text):
    plain = " ".join(article_text.replace("*", "").split())
    assert len(debate_map.fact_checks) >= 8
    for check in debate_map.fact_checks:
        assert check.passage in plain
        assert check.passage_en


def test_timeline_is_chronological_and_glossary_covers_key_terms(debate_map):
    dates = [event.date for event in debate_map.timeline]
    assert dates == sorted(dates)
    ids = {entry.id for entry in debate_map.glossary}
    assert {"distillation", "terms-of-service", "fair-use", "export-controls", "api"} <= ids
    assert {"synthetic-data"} <= ids


def test_lookup_helpers(debate_map):
    claim, side = debate_map.claim_and_side("l1")
    assert claim.id == "L1" and side.id == "accusers"
    assert [c.id for c in debate_map.rebuttals("L1")] == list(claim.rebutted_by)
    assert debate_map.other_side("accusers").id == "defenders"
    assert debate_map.claim("C3").statement.render("zh") == debate_map.claim("C3").statement.zh
