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


def all_sources(debate_map):
    sources = [s for side in debate_map.sides for c in side.claims for s in c.sources]
    sources += [s for check in debate_map.fact_checks for s in check.sources]
    return {s.id: s for s in sources + [s for e in debate_map.timeline for s in e.sources]}


def test_sources_listed_by_reliability_marker(debate_map):
    """The sources by marker: a reviewer reads this list when a source is added or replaced."""
    listing = {}
    for source in all_sources(debate_map).values():
        listing.setdefault(source.reliability.value, set()).add(source.id)
    assert listing == {
        "primary": {
            "anthropic_post",
            "anthropic_commercial_terms",
            "anthropic_aup",
            "justia_thaler",
            "hinton_2015",
            "kimi_k2_report",
            "minimax_m1_report",
            "minimax_m25",
        },
        "secondary": {
            "livemint",
            "cnn",
            "techdigest_openai",
            "dcd_openai_2025",
            "nextfin_gtig",
            "aibars_openai_cutoff",
            "ucstrategies_xai",
            "rits_ostp",
            "stanforddaily_alpaca",
            "newscord_musk",
            "centerconsulting_bartz",
            "mbw_music",
            "natlawreview_reddit",
            "register_ifixit",
            "lernerdavid_usco",
            "gmt8_deepseek",
            "nature_deepseek",
            "oneyearago_v2",
        },
        "opinion": {"interconnects", "facchin", "arxiv_henderson", "monash_lens"},
    }
    assert "unverified" not in listing  # unverified material lives only in fact-check verdicts


def test_every_source_has_an_outlet_a_date_and_no_mirror(debate_map):
    for source in all_sources(debate_map).values():
        assert source.publisher.strip() and re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", source.date)
        assert "mirror" not in source.publisher.lower(), source.id  # the review: cite the outlet
        assert "vuink.com" not in source.url and "hacker-news" not in source.url


def test_fact_check_english_quotes_are_the_english_editions_words(debate_map):
    english = load_topic(DEFAULT_TOPIC).edition("en").text
    plain = " ".join(english.replace("*", "").split())
    for check in debate_map.fact_checks:
        assert " ".join(check.passage_en.split()) in plain, check.id


def test_balance_equal_claims_links_and_strongest_chosen_per_side(debate_map):
    first, second = debate_map.sides
    assert len(first.claims) == len(second.claims)
    links = [sum(len(c.rebutted_by) for c in side.claims) for side in debate_map.sides]
    assert links[0] == links[1], links
    for side in debate_map.sides:
        strongest = side.strongest_claims
        assert len(strongest) == 3 and len(second.strongest) == len(first.strongest)
        assert strongest != side.claims[:3], f"{side.id}: strongest is just the file order"
        # Neither side is shown only through "X says" allegations, nor only through bare facts.
        assert {c.status for c in strongest} != {ClaimStatus.ALLEGED}, side.id
        assert {c.status for c in strongest} != {ClaimStatus.ESTABLISHED}, side.id


def test_statements_shown_bare_attribute_allegations_and_opinions(debate_map):
    """The overview shows statements without status labels, so each one names who claims it."""
    attributed = (
        "Anthropic",
        "OpenAI",
        "Google",
        "critics",
        "accusers",
        "scholars",
        "allegedly",
        "government",
    )
    for side in debate_map.sides:
        for claim in side.claims:
            if claim.status is not ClaimStatus.ESTABLISHED:
                assert any(word.lower() in claim.statement.en.lower() for word in attributed), (
                    claim.id
                )


def test_side_keywords_cannot_be_misread_and_old_ones_still_work(debate_map):
    accusers, defenders = debate_map.sides
    assert "accusers" in accusers.label.en and "指控方" in accusers.label.zh
    assert "defenders" in defenders.label.en and "辩护方" in defenders.label.zh
    assert "labs" not in accusers.label.en and "模型公司" not in accusers.label.zh
    keywords = debate_map.keywords()
    assert keywords["labs"] == "accusers" and keywords["critics"] == "defenders"
    assert keywords["指控方"] == "accusers" and keywords["辩护方"] == "defenders"


def test_suggested_polls_are_framed_from_each_side_equally_and_end_unsure():
    polls = load_topic(DEFAULT_TOPIC).polls
    framings = [poll.framing for poll in polls]
    assert framings.count("accusers") == framings.count("defenders") >= 1
    for poll in polls:
        assert poll.options[-1] == Localized("Not sure", "不确定")
        for option in (poll.question, *poll.options):
            assert not re.search(r"[,.:;?!()]", option.zh), option.zh  # full-width punctuation


def test_rebuttals_answer_their_claims_as_the_content_review_asked(debate_map):
    answers = {c.id: set(c.rebutted_by) for side in debate_map.sides for c in side.claims}
    assert {"C11", "C12"} <= answers["L4"]  # fraud is answered by "unverified, untested"
    assert "C10" not in answers["L8"]  # DeepSeek's small share does not answer censorship
    assert answers["C3"] == {"L6"}  # hypocrisy: fair use for training is not a breach of terms


def test_corrected_wording_of_the_content_review(debate_map):
    claim = debate_map.claim
    assert (
        "主要依据" in claim("C11").explanation.zh and "完全依赖" not in claim("C11").explanation.zh
    )
    assert claim("C6").status is claim("C7").status is ClaimStatus.OPINION
    assert "did not immediately respond" in claim("L9").status_note.en
    assert "select benchmarks at a fraction of the cost" in claim("C9").status_note.en
    checks = {check.id: check for check in debate_map.fact_checks}
    assert "which implies that some access was paid for" in checks["F8"].finding.en
    assert "ikigaidojo.io" in checks["F11"].finding.en
    assert "everyone with a stake in the outcome" in checks["F12"].finding.en
    assert {"F14", "F15"} <= checks.keys()
    musk = next(e for e in debate_map.timeline if "partly" in e.text.en)
    assert musk.date == "2026-04-30" and "reported" not in musk.text.en
    assert not any(e.date == "2026-02-16" for e in debate_map.timeline)  # GTIG: mid-February
