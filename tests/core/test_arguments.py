from datetime import timedelta

import pytest

from bot.arguments import parse_option_args, parse_text_args, tokenize
from bot.durations import parse_duration
from bot.errors import UsageError
from bot.i18n import Localized
from bot.params import ChoiceParam, DurationParam, IntParam, TextParam

D = Localized("d", "说明")
COUNT = IntParam(name="count", description=D, min_value=1, max_value=5)
LENGTH = ChoiceParam(
    name="length", description=D, choices=("short", "long"), required=False, default="short"
)
LANG = ChoiceParam(name="lang", description=D, choices=("en", "zh"), required=False, default=None)
TEXT = TextParam(name="text", description=D, max_length=10, rest=True)


def values(tokens):
    return [t.value for t in tokens]


def test_tokenize_keeps_quoted_runs_together():
    assert values(tokenize('a "b c" d')) == ["a", "b c", "d"]
    assert values(tokenize("“中文 引号” x")) == ["中文 引号", "x"]
    assert values(tokenize("「甲 乙」")) == ["甲 乙"]
    assert values(tokenize(r"say \"hi")) == ["say", '"hi']
    assert values(tokenize("  ")) == []


def test_unbalanced_quote_is_a_usage_error():
    with pytest.raises(UsageError) as caught:
        tokenize('a "b c')
    assert "never closed" in caught.value.render("en")
    assert "引号" in caught.value.render("zh")


def test_optional_choice_lets_a_later_choice_take_the_token():
    assert parse_text_args((LENGTH, LANG), "zh") == {"length": "short", "lang": "zh"}
    assert parse_text_args((LENGTH, LANG), "long en") == {"length": "long", "lang": "en"}
    assert parse_text_args((LENGTH, LANG), "") == {"length": "short", "lang": None}


def test_optional_choices_side_by_side_take_their_words_in_any_order():
    assert parse_text_args((LENGTH, LANG), "en long") == {"length": "long", "lang": "en"}
    assert parse_text_args((LENGTH, LANG, TEXT), "zh long 你好") == {
        "length": "long",
        "lang": "zh",
        "text": "你好",
    }
    with pytest.raises(UsageError) as caught:
        parse_text_args((LENGTH, LANG), "short long")
    assert caught.value.render("en") == "`length` is given twice: “short” and “long”. Give it once."
    assert caught.value.render("zh") == "`length` 给了两次：“short”和“long”。请只给一次。"


def test_a_word_too_many_mentions_quotes_only_where_text_is_taken():
    with pytest.raises(UsageError) as caught:
        parse_text_args((LENGTH, LANG), "long en extra")
    assert caught.value.render("en") == "Too many arguments: “extra” is not expected."
    assert caught.value.render("zh") == "参数过多：多出了“extra”。"
    short_text = TextParam(name="title", description=D, max_length=10)
    with pytest.raises(UsageError) as caught:
        parse_text_args((short_text,), "two words")
    assert "Put text with spaces in quotes" in caught.value.render("en")


def test_wrong_choice_names_the_choices():
    with pytest.raises(UsageError) as caught:
        parse_text_args((LENGTH,), "medium")
    assert "short, long" in caught.value.render("en")


def test_integer_range_and_type():
    assert parse_text_args((COUNT,), "3") == {"count": 3}
    for bad, expected in (
        ("0", "between 1 and 5"),
        ("x", "whole number"),
        ("99999999999999", "whole number"),
        ("--5", "whole number"),
        ("-", "whole number"),
        ("5-", "whole number"),
        ("#", "whole number"),
        ("٣", "whole number"),
    ):
        with pytest.raises(UsageError) as caught:
            parse_text_args((COUNT,), bad)
        assert expected in caught.value.render("en")


def test_missing_required_and_too_many():
    with pytest.raises(UsageError, match="missing"):
        parse_text_args((COUNT,), "")
    with pytest.raises(UsageError) as caught:
        parse_text_args((COUNT,), "1 2")
    assert "“2”" in caught.value.render("en")


def test_rest_parameter_takes_the_line_verbatim_and_checks_length():
    assert parse_text_args((COUNT, TEXT), '2 say "hi"') == {"count": 2, "text": 'say "hi"'}
    with pytest.raises(UsageError, match="at most 10"):
        parse_text_args((COUNT, TEXT), "2 " + "x" * 11)


def test_duration_parameter():
    param = DurationParam(
        name="d", description=D, minimum=timedelta(minutes=1), maximum=timedelta(days=30)
    )
    assert parse_text_args((param,), "90s") == {"d": timedelta(seconds=90)}
    assert parse_text_args((param,), "1h30m") == {"d": timedelta(minutes=90)}
    with pytest.raises(UsageError, match="between 1m and 30d"):
        parse_text_args((param,), "31d")
    with pytest.raises(UsageError, match="duration like"):
        parse_text_args((param,), "soon")
    with pytest.raises(UsageError, match="between 1m and 30d"):
        parse_text_args((param,), "999999w" * 300)  # too large for a timedelta: saturates


def test_duration_too_large_for_timedelta_saturates():
    assert parse_duration("999999w" * 300) == timedelta.max - timedelta.max % timedelta(seconds=1)
    assert parse_duration("999999w") == timedelta(weeks=999999)


def test_option_args_validate_like_text():
    assert parse_option_args((COUNT, LENGTH), {"count": 2}) == {"count": 2, "length": "short"}
    with pytest.raises(UsageError, match="Unknown option"):
        parse_option_args((COUNT,), {"count": 1, "evil": 2})
    with pytest.raises(UsageError, match="between"):
        parse_option_args((COUNT,), {"count": 9})


def test_echoed_values_lose_control_and_bidi_characters():
    with pytest.raises(UsageError) as caught:
        parse_text_args((COUNT,), "\u202eevil\x1b[2J")
    shown = caught.value.render("en")
    assert "\u202e" not in shown and "\x1b" not in shown and "evil[2J" in shown
