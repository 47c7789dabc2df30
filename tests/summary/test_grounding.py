"""The checks a model's answer must pass, on real sentences in both languages."""

from handlers.summary.abstractive.facts import unsupported
from handlers.summary.abstractive.grounding import (
    Source,
    enough,
    grounded_bullets,
    grounded_translation,
    without_reasoning,
)

EN = (
    Source(1, 4, "Anthropic said it found 24,000 fake accounts that made 16 million exchanges."),
    Source(2, 9, "DeepSeek has not answered the accusation."),
    Source(3, 15, "Critics called the report “a marketing exercise”."),
)
ZH = (
    Source(
        1,
        2,
        "Anthropic 称，深度求索等三家公司用约 2.4 万个虚假账户与 Claude 进行了 1600 万次对话。",
    ),
    Source(2, 7, "月之暗面创始人杨植麟没有回应。"),
)


def test_numbers_names_and_quotes_must_be_in_the_cited_sentences():
    cited = [EN[0].text]
    assert unsupported("Anthropic found 24000 fake accounts.", cited) == []
    assert unsupported("Anthropic found 25,000 fake accounts.", cited) == ["25000"]
    assert unsupported("Anthropic and OpenAI found fake accounts.", cited) == ["openai"]
    assert unsupported("It called them “obvious fakes”.", cited) == ["obvious fakes"]
    assert unsupported("Critics called it “a marketing exercise”.", [EN[2].text]) == []
    assert unsupported("US officials agree.", cited) == ["us"]  # not inside "because"


def test_chinese_names_and_latin_runs_are_checked():
    assert unsupported("Anthropic 称有 1600 万次对话。", [ZH[0].text]) == []
    assert unsupported("Anthropic 称 OpenAI 有 1600 万次对话。", [ZH[0].text]) == ["openai"]
    assert "杨植麟" in unsupported("杨植麟称有 1600 万次对话。", [ZH[0].text])
    assert unsupported("杨植麟没有回应。", [ZH[1].text]) == []
    assert (
        unsupported("Anthropic 称有 １６００ 万次对话。", [ZH[0].text]) == []
    )  # full-width digits


def test_bullets_keep_only_supported_cited_lines_in_article_positions():
    answer = "\n".join(
        (
            "Here is the summary:",
            "- Anthropic found 24,000 fake accounts [1].",
            "- DeepSeek has not answered [2][3]",
            "* DeepSeek paid 5 million dollars. [2]",
            "- Nobody answered. [7]",
            "- Critics doubt it.",
            "1. Critics called it “a marketing exercise” 【3】",
        )
    )
    kept = grounded_bullets(answer, EN, asked=5)
    assert [(b.text, b.positions) for b in kept] == [
        ("Anthropic found 24,000 fake accounts.", (4,)),
        ("DeepSeek has not answered", (9, 15)),
        ("Critics called it “a marketing exercise”", (15,)),
    ]
    assert enough(kept, 5) and not enough(kept[:2], 5) and not enough([], 1)


def test_reasoning_is_cut_closed_unclosed_or_only_closed():
    assert without_reasoning("<think>12 ideas</think>\n- A [1]") == "\n- A [1]"
    assert without_reasoning("- A [1]\n<Thinking>and then 99") == "- A [1]\n"
    assert without_reasoning("reasoning with 99 [1]</think>- A [1]") == "- A [1]"


def test_a_translation_line_keeps_its_figures_and_latin_names():
    answer = "\n".join(
        (
            "[1] Anthropic said it found about 24,000 fake accounts and 16 million chats.",
            "[2] Kimi founder Yang Zhilin did not respond.",
            "[2] Yang Zhilin did not respond.",
        )
    )
    english = (
        Source(1, 2, "Anthropic 称发现了 24,000 个虚假账户和 16 million 次对话。"),
        Source(2, 7, "月之暗面创始人杨植麟没有回应。"),
    )
    kept = grounded_translation(answer, english)
    assert [b.positions for b in kept] == [(2,)]  # "Kimi" is no name of sentence 2
    changed = grounded_translation(
        "[1] Anthropic 称发现了 2.4 万个虚假账户和 16 million 次对话。", english
    )
    assert changed == []


def test_a_citation_of_thousands_of_digits_is_a_sentence_not_offered():
    huge = "9" * 5000  # more digits than Python's int() converts
    line = f"- DeepSeek has not answered the accusation. [{huge}]"
    assert grounded_bullets(line, EN, 3) == []
    assert grounded_translation(f"[{huge}] DeepSeek did not answer.", EN) == []


def test_a_bullet_is_checked_and_shown_as_a_reader_sees_it():
    # A zero-width space makes 16 and 24,000 (both in the sentence) of the 1624,000 a reader sees.
    hidden = "- Anthropic said it found 16\u200b24,000 fake accounts. [1]"
    assert grounded_bullets(hidden, EN, 3) == []
    # A right-to-left override would show the figures reversed: it is not shown.
    reversed_ = "- Anthropic found \u202e24,000\u202c fake accounts. [1]"
    assert [b.text for b in grounded_bullets(reversed_, EN, 3)] == [
        "Anthropic found 24,000 fake accounts."
    ]
    translated = grounded_translation("[2] DeepSeek \u202ehas not answered.", EN)
    assert [b.text for b in translated] == ["DeepSeek has not answered."]


def test_a_line_longer_than_a_message_can_hold_is_dropped():
    padding = "which everyone agrees matters, " * 40  # no figure, name or quote to check
    long_bullet = f"- DeepSeek has not answered the accusation, {padding}so far. [2]"
    assert grounded_bullets(long_bullet, EN, 3) == []
    assert grounded_translation(f"[2] DeepSeek did not answer, {padding}so far.", EN) == []
    assert grounded_bullets("- DeepSeek has not answered the accusation. [2]", EN, 3)


def test_a_name_in_letters_that_only_look_latin_is_checked():
    smith = "\u0405m\u0456th"  # Cyrillic Ѕ and і: reads "Smith", splits into Latin "m" and "th"
    assert grounded_bullets(f"- DeepSeek has not answered {smith}. [2]", EN, 3) == []
    assert grounded_translation(f"[2] {smith}：深度求索没有回应。", EN) == []
    assert unsupported("Москва не ответила.", ["Москва не ответила на обвинение."]) == []
