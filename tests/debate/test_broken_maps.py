import re

import pytest

from handlers.debate.loader import DebateContentError, parse_debate_map
from handlers.topics.loader import DEFAULT_TOPIC, TopicDataError, load_topic
from tests.topic_data import copy_shipped_topic


def claim_block(text: str, claim_id: str) -> tuple[int, int]:
    start = text.index(f'id = "{claim_id}"\n')
    start = text.rindex("[[sides.claims]]", 0, start)
    end = text.find("\n[[", start + 1)
    return start, end if end != -1 else len(text)


def edit_claim(text: str, claim_id: str, old: str, new: str) -> str:
    start, end = claim_block(text, claim_id)
    block = text[start:end]
    assert old in block, f"{old!r} not in claim {claim_id}"
    return text[:start] + block.replace(old, new, 1) + text[end:]


def drop_claims(text: str, *claim_ids: str) -> str:
    for claim_id in claim_ids:
        start, end = claim_block(text, claim_id)
        text = text[:start] + text[end:]
    return text


def edit_table(text: str, header: str, old: str, new: str) -> str:
    start = text.index(header)
    end = text.find("\n[", start + 1)
    block = text[start:end]
    assert old in block
    return text[:start] + block.replace(old, new, 1) + text[end:]


def rebuttals(text: str, claim_id: str, new: str) -> str:
    start, end = claim_block(text, claim_id)
    block = re.sub(r"rebutted_by = \[[^\]]*\]", f"rebutted_by = {new}", text[start:end], count=1)
    return text[:start] + block + text[end:]


def assert_fails(text: str, article: str, message: str, file_name: str = "debate.toml") -> None:
    with pytest.raises(DebateContentError) as caught:
        parse_debate_map(text, article_text=article, file_name=file_name)
    assert str(caught.value).startswith(message), str(caught.value)


def test_message_names_the_file(debate_toml, article_text):
    broken = edit_claim(debate_toml, "L3", 'sources = ["anthropic_post"]', "sources = []")
    assert_fails(broken, article_text, "broken.toml: claim L3: has no sources", "broken.toml")


def test_claim_without_sources(debate_toml, article_text):
    broken = edit_claim(debate_toml, "L3", 'sources = ["anthropic_post"]', "sources = []")
    assert_fails(broken, article_text, "debate.toml: claim L3: has no sources")


def test_claim_citing_an_undefined_source(debate_toml, article_text):
    broken = edit_claim(debate_toml, "L3", 'sources = ["anthropic_post"]', 'sources = ["nope"]')
    assert_fails(
        broken, article_text, "debate.toml: claim L3: source 1 ('nope') is not defined in [sources]"
    )


def test_source_without_url(debate_toml, article_text):
    broken = edit_table(
        debate_toml, "[sources.anthropic_aup]", 'url = "https://www.anthropic.com/legal/aup"\n', ""
    )
    assert_fails(broken, article_text, "debate.toml: source anthropic_aup: field 'url' is missing")


def test_source_with_non_http_url(debate_toml, article_text):
    broken = edit_table(debate_toml, "[sources.anthropic_aup]", "https://", "ftp://")
    assert_fails(
        broken,
        article_text,
        "debate.toml: source anthropic_aup: url 'ftp://www.anthropic.com/legal/aup' is not an",
    )


def test_source_with_unknown_reliability(debate_toml, article_text):
    broken = edit_table(
        debate_toml, "[sources.cnn]", 'reliability = "secondary"', 'reliability = "rumour"'
    )
    assert_fails(broken, article_text, "debate.toml: source cnn: reliability 'rumour' is unknown")


def test_source_with_bad_date(debate_toml, article_text):
    broken = edit_table(debate_toml, "[sources.cnn]", '"2026-02-24"', '"24 Feb 2026"')
    assert_fails(broken, article_text, "debate.toml: source cnn: date '24 Feb 2026' is not a date")


def test_source_never_cited(debate_toml, article_text):
    extra = (
        '\n[sources.orphan]\ntitle = "T"\npublisher = "P"\ndate = "2026"\n'
        'url = "https://example.org"\nreliability = "secondary"\n'
    )
    broken = debate_toml.replace("\n[[sides]]", extra + "\n[[sides]]", 1)
    assert_fails(broken, article_text, "debate.toml: source orphan: is never cited")


def test_rebuttal_that_does_not_exist(debate_toml, article_text):
    broken = rebuttals(debate_toml, "L3", '["C11", "C99"]')
    assert_fails(broken, article_text, "debate.toml: claim L3: rebutted_by 'C99' does not exist")


def test_rebuttal_on_the_same_side(debate_toml, article_text):
    broken = rebuttals(debate_toml, "C4", '["L6", "C5"]')
    assert_fails(
        broken, article_text, "debate.toml: claim C4: rebutted_by 'C5' is on the same side"
    )


def test_claim_without_rebuttals(debate_toml, article_text):
    broken = rebuttals(debate_toml, "L3", "[]")
    assert_fails(broken, article_text, "debate.toml: claim L3: rebutted_by needs at least one")


def test_duplicate_claim_id(debate_toml, article_text):
    broken = edit_claim(debate_toml, "C12", 'id = "C12"', 'id = "L12"')
    assert_fails(broken, article_text, "debate.toml: claim L12: duplicate claim id")


def drop_everywhere(text: str, *claim_ids: str) -> str:
    """Drop the claims and every mention of them in rebuttal lists."""
    text = drop_claims(text, *claim_ids)
    for gone in claim_ids:
        text = text.replace(f', "{gone}"', "").replace(f'"{gone}", ', "")
    return text


def test_unbalanced_sides(debate_toml, article_text):
    broken = drop_everywhere(debate_toml, "C13", "C14")
    assert_fails(
        broken,
        article_text,
        "debate.toml: sides: side accusers has 14 and side defenders has 12 claims; they may",
    )


def test_too_few_claims(debate_toml, article_text):
    gone = ("L1", "L3", "L5", "L7", "L9", "C2", "C4", "C5", "C6", "C9")
    assert_fails(
        drop_everywhere(debate_toml, *gone),
        article_text,
        "debate.toml: sides: side accusers has 9 and side defenders has 9 claims; each side",
    )


def test_missing_chinese_text(debate_toml, article_text):
    start, end = claim_block(debate_toml, "L3")
    block = re.sub(r"\nstatement\.zh = .*", "", debate_toml[start:end], count=1)
    broken = debate_toml[:start] + block + debate_toml[end:]
    assert_fails(broken, article_text, "debate.toml: claim L3: field 'statement' has no zh text")


def test_blank_english_text(debate_toml, article_text):
    start, end = claim_block(debate_toml, "C2")
    block = re.sub(r'\nexplanation\.en = ".*"', '\nexplanation.en = "  "', debate_toml[start:end])
    broken = debate_toml[:start] + block + debate_toml[end:]
    assert_fails(broken, article_text, "debate.toml: claim C2: field 'explanation' has no en text")


def test_unknown_claim_status(debate_toml, article_text):
    broken = edit_claim(debate_toml, "L5", 'status = "alleged"', 'status = "proven"')
    assert_fails(broken, article_text, "debate.toml: claim L5: status 'proven' is unknown")


def test_misspelt_field(debate_toml, article_text):
    broken = edit_claim(debate_toml, "L5", "rebutted_by =", "rebuted_by =")
    assert_fails(broken, article_text, "debate.toml: claim L5: field 'rebutted_by' is missing")


def test_fact_check_quote_not_in_article(debate_toml, article_text):
    broken = debate_toml.replace(
        'passage = "正常注册，正常充值，正常调用 API。"', 'passage = "正常注册，正常付款。"', 1
    )
    assert_fails(broken, article_text, "debate.toml: fact-check F8: passage '正常注册，正常付款。'")


def test_timeline_out_of_order(debate_toml, article_text):
    broken = debate_toml.replace('[[timeline]]\ndate = "2015"', '[[timeline]]\ndate = "2030"', 1)
    assert_fails(
        broken,
        article_text,
        "debate.toml: timeline event 2: date 2023-03 comes before the previous",
    )


def test_duplicate_glossary_id(debate_toml, article_text):
    broken = debate_toml.replace('id = "api"', 'id = "distillation"', 1)
    assert_fails(broken, article_text, "debate.toml: glossary distillation: duplicate glossary id")


def test_invalid_toml(article_text):
    assert_fails("question = [", article_text, "debate.toml: not valid TOML")


def test_the_topic_loader_reads_the_map_beside_the_article(tmp_path, monkeypatch):
    copy_shipped_topic(tmp_path, monkeypatch)
    assert len(load_topic(DEFAULT_TOPIC).debate_map.sides) == 2


def test_the_topic_loader_fails_on_a_broken_map(tmp_path, monkeypatch, debate_toml):
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    (folder / "debate.toml").write_text(rebuttals(debate_toml, "L3", '["C99"]'), encoding="utf-8")
    with pytest.raises(
        DebateContentError, match=r"^distillation/debate\.toml: claim L3: rebutted_by 'C99'"
    ):
        load_topic(DEFAULT_TOPIC)


def test_quotes_are_checked_against_the_topics_original_article(tmp_path, monkeypatch):
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    original = folder / "article.zh.md"
    original.write_text(original.read_text(encoding="utf-8")[:200], encoding="utf-8")
    with pytest.raises(DebateContentError, match="does not occur in the article"):
        load_topic(DEFAULT_TOPIC)


def test_a_topic_without_a_map_says_so_when_one_is_needed(tmp_path, monkeypatch):
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    (folder / "debate.toml").unlink()
    topic = load_topic(DEFAULT_TOPIC)
    with pytest.raises(TopicDataError, match=r"distillation/debate\.toml: file not found"):
        _ = topic.debate_map


def test_a_map_of_another_topic_is_refused(tmp_path, monkeypatch, debate_toml):
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    other = debate_toml.replace('topic = "distillation"', 'topic = "other"', 1)
    (folder / "debate.toml").write_text(other, encoding="utf-8")
    with pytest.raises(TopicDataError, match="topic 'other' is not 'distillation'"):
        load_topic(DEFAULT_TOPIC)


def test_an_undated_source_is_refused(debate_toml, article_text):
    broken = edit_table(debate_toml, "[sources.cnn]", '"2026-02-24"', '"undated"')
    assert_fails(broken, article_text, "debate.toml: source cnn: date 'undated' is not a date")


def test_a_source_without_an_outlet_is_refused(debate_toml, article_text):
    broken = edit_table(debate_toml, "[sources.cnn]", 'publisher = "CNN"', 'publisher = " "')
    assert_fails(broken, article_text, "debate.toml: source cnn: publisher must be non-empty")


def test_an_english_quote_not_in_the_english_edition_is_refused(
    debate_toml, article_text, english_text
):
    broken = debate_toml.replace(
        'passage_en = "290 likes, and still climbing."', 'passage_en = "290 likes, still rising."'
    )
    with pytest.raises(DebateContentError) as caught:
        parse_debate_map(broken, article_text=article_text, translation_text=english_text)
    assert str(caught.value) == (
        "debate.toml: fact-check F9: passage_en '290 likes, still rising.' does not occur in the"
        " English edition"
    )
    parse_debate_map(debate_toml, article_text=article_text, translation_text=english_text)


def test_strongest_claims_must_be_the_sides_own_and_equally_many(debate_toml, article_text):
    other = debate_toml.replace('strongest = ["L6", "L4", "L13"]', 'strongest = ["L6", "C1"]')
    assert_fails(other, article_text, "debate.toml: side accusers: strongest 'C1' is not a claim")
    fewer = debate_toml.replace('strongest = ["L6", "L4", "L13"]', 'strongest = ["L6", "L4"]')
    assert_fails(
        fewer,
        article_text,
        "debate.toml: sides: side accusers names 2 strongest claims and side defenders 3",
    )
    missing = debate_toml.replace('strongest = ["C7", "C8", "C11"]\n', "")
    assert_fails(missing, article_text, "debate.toml: side defenders: field 'strongest' is missing")


def test_a_keyword_may_name_only_one_side(debate_toml, article_text):
    broken = debate_toml.replace('aliases = ["critics", ', 'aliases = ["LABS", ')
    assert_fails(broken, article_text, "debate.toml: side defenders: keyword 'LABS' already names")
