"""The pure renderer: escaping, block formats, splitting, captions and keyboards."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.telegram.render import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    escape_text,
    render_html,
    render_keyboard,
    render_reply,
    split_html,
    telegram_length,
)
from bot.reply import (
    Attachment,
    BulletList,
    Button,
    ButtonStyle,
    Fields,
    Heading,
    Link,
    Paragraph,
    Preformatted,
    Quote,
    Reply,
)

_TAG = re.compile(r"<(/?)(b|i|a|pre|blockquote)(?: [^>]*)?>")


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for closing, name in _TAG.findall(text):
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def test_blocks_render_as_telegram_html() -> None:
    reply = Reply(
        title="Poll",
        blocks=(
            Heading("Options"),
            BulletList(("Pizza", "Sushi")),
            BulletList(("first", "second"), ordered=True),
            Quote("To be", source="Hamlet"),
            Fields((("Votes", "3"),)),
            Preformatted("██  60%"),
            Link("Docs", "https://example.org/a?b=1&c=2"),
        ),
        footer="closes in 2h",
    )
    assert render_html(reply) == (
        "<b>Poll</b>\n\n<b>Options</b>\n• Pizza\n• Sushi\n\n1. first\n2. second\n\n"
        "<blockquote>To be\n— <i>Hamlet</i></blockquote>\n\n<b>Votes</b>: 3\n\n"
        "<pre>██  60%</pre>\n\n"
        '<a href="https://example.org/a?b=1&amp;c=2">Docs</a>\n\n<i>closes in 2h</i>'
    )


def test_user_text_is_escaped_and_mentions_defused() -> None:
    assert escape_text("<b>x</b> & @everyone") == "&lt;b&gt;x&lt;/b&gt; &amp; @\u2060everyone"
    assert escape_text("a @ b") == "a @ b"


def test_only_http_links_become_anchors() -> None:
    html = render_html(Reply(blocks=(Link("click", "javascript:alert(1)"),)))
    assert "<a" not in html
    assert html == "click (javascript:alert(1))"
    quoted = render_html(Reply(blocks=(Link("x", 'https://e.org/"><b>'),)))
    assert quoted == '<a href="https://e.org/&quot;&gt;&lt;b&gt;">x</a>'


def test_long_paragraph_splits_between_words_within_the_limit() -> None:
    reply = Reply(blocks=(Paragraph("word & " * 2000),))
    parts = split_html(reply, TEXT_LIMIT)
    assert len(parts) > 1
    assert all(telegram_length(part) <= TEXT_LIMIT for part in parts)
    assert all("&am" not in part.replace("&amp;", "") for part in parts)  # no broken entity


def test_long_preformatted_keeps_tags_balanced_in_every_part() -> None:
    reply = Reply(title="t", blocks=(Preformatted("\n".join("x" * 70 for _ in range(200))),))
    parts = split_html(reply, TEXT_LIMIT)
    assert len(parts) >= 4
    assert all(_balanced(part) and telegram_length(part) <= TEXT_LIMIT for part in parts)


def test_length_counts_utf16_units() -> None:
    assert telegram_length("😀") == 2
    parts = split_html(Reply(blocks=(Paragraph("😀" * 3000),)), TEXT_LIMIT)
    assert len(parts) == 2
    assert all(telegram_length(part) <= TEXT_LIMIT for part in parts)


def test_short_reply_with_a_file_goes_in_the_caption() -> None:
    file = Attachment("a.png", b"x", "image/png", is_image=True)
    rendered = render_reply(Reply(title="Chart", attachment=file))
    assert rendered.texts == ()
    assert rendered.caption == "<b>Chart</b>"


def test_long_reply_with_a_file_gets_a_short_caption() -> None:
    file = Attachment("a.csv", b"x", "text/csv")
    rendered = render_reply(Reply(title="Export", blocks=(Paragraph("y" * 2000),), attachment=file))
    assert rendered.caption == "<b>Export</b>"
    assert rendered.texts and all(len(text) <= TEXT_LIMIT for text in rendered.texts)
    untitled = render_reply(Reply(blocks=(Paragraph("y" * 2000),), attachment=file))
    assert untitled.caption is None
    assert telegram_length(rendered.caption) <= CAPTION_LIMIT


def test_empty_reply_still_has_text() -> None:
    assert render_reply(Reply()).texts == ("…",)


def test_keyboard_rows_use_payloads_and_styles() -> None:
    keyboard = render_keyboard(
        Reply(
            buttons=(
                (Button("Yes", "v1:vote:1", ButtonStyle.SUCCESS), Button("No", "v1:vote:2")),
                (Button("Close", "v1:close", ButtonStyle.DANGER),),
            )
        )
    )
    assert keyboard is not None
    rows = keyboard.to_dict()["inline_keyboard"]
    assert rows == [
        [
            {"text": "Yes", "callback_data": "v1:vote:1", "style": "success"},
            {"text": "No", "callback_data": "v1:vote:2"},
        ],
        [{"text": "Close", "callback_data": "v1:close", "style": "danger"}],
    ]
    assert render_keyboard(Reply.text("x")) is None


_text = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from("<>&@\n "), max_size=600
)
_blocks = st.lists(
    st.one_of(
        _text.map(Paragraph),
        _text.map(Heading),
        _text.map(Preformatted),
        st.tuples(_text, _text).map(lambda p: Quote(p[0], p[1] or None)),
        st.lists(_text, max_size=8).map(lambda items: BulletList(tuple(items))),
        st.lists(st.tuples(_text, _text), max_size=5).map(lambda p: Fields(tuple(p))),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(blocks=_blocks, limit=st.sampled_from([300, 1024, TEXT_LIMIT]))
def test_every_part_fits_and_is_balanced(blocks: list, limit: int) -> None:
    parts = split_html(Reply(title="T", blocks=tuple(blocks)), limit)
    for part in parts:
        assert telegram_length(part) <= limit
        assert _balanced(part)


@pytest.mark.parametrize(
    "block",
    [Paragraph("   "), Heading(""), Quote(""), Preformatted(""), Paragraph("\n\t")],
    ids=repr,
)
def test_a_block_showing_nothing_never_makes_a_message_without_visible_text(block) -> None:
    """adapters.md D8: Telegram answers such a message with `400 message text is empty`."""
    for reply in (
        Reply(blocks=(block,)),
        Reply(blocks=(block,), buttons=((Button("OK", "v1:x"),),)),
    ):
        [text] = render_reply(reply).texts
        assert html.unescape(re.sub(r"<[^>]*>", "", text)).strip()


def test_a_link_without_a_label_shows_its_address() -> None:
    [text] = render_reply(Reply(blocks=(Link(" ", "https://example.org/a"),))).texts
    assert text == '<a href="https://example.org/a">https://example.org/a</a>'
