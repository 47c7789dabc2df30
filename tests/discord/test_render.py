"""The renderer alone: escaping, splitting and limits, with no network."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.discord.render import (
    BUTTON_LABEL_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    button_label,
    escape_text,
    render_reply,
    render_single,
    split_text,
)
from bot.reply import Attachment, Button, Fields, Link, Paragraph, Preformatted, Reply


def description(reply: Reply) -> str:
    (message,) = render_reply(reply)
    return message.embeds[0].description or ""


def test_escape_neutralises_markdown_and_mentions() -> None:
    text = escape_text("@everyone @here <@&123> <@456> <#789> **bold** __u__ `code` ||spoiler||")
    assert "@everyone" not in text and "@here" not in text
    assert not re.search(r"<[@#]", text)
    assert "\\*\\*bold\\*\\*" in text and "\\`code\\`" in text and "\\|\\|spoiler\\|\\|" in text


def test_escape_neutralises_line_markers() -> None:
    text = escape_text("# heading\n> quote\n- item\n1. first\n-# subtext")
    assert text.splitlines() == [
        "\\# heading",
        "\\> quote",
        "\\- item",
        "1\\. first",
        "\\-# subtext",
    ]


def test_preformatted_keeps_its_fence_closed() -> None:
    text = description(Reply(blocks=(Preformatted("a ``` b\n@everyone"),)))
    assert text.startswith("```\n") and text.endswith("\n```")
    assert text.count("```") == 2


def test_links_only_for_web_urls() -> None:
    assert description(Reply(blocks=(Link("docs]x", "https://e.com/a_(b)"),))) == (
        "[docs\\]x](https://e.com/a_%28b%29)"
    )
    assert "javascript" in description(Reply(blocks=(Link("x", "javascript:alert(1)"),)))
    assert "](" not in description(Reply(blocks=(Link("x", "javascript:alert(1)"),)))


@given(st.text(min_size=0, max_size=3000), st.integers(min_value=10, max_value=500))
def test_split_text_keeps_everything_within_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(piece) <= limit for piece in pieces)
    squeeze = re.compile(r"\s+")
    assert squeeze.sub("", "".join(pieces)) == squeeze.sub("", text)


@given(st.text(alphabet="\\*_ab \n", max_size=400), st.integers(min_value=10, max_value=60))
def test_split_text_never_separates_an_escape(text: str, limit: int) -> None:
    for piece in split_text(escape_text(text), limit):
        trailing = len(piece) - len(piece.rstrip("\\"))
        assert trailing % 2 == 0, piece


def test_empty_and_button_only_replies() -> None:
    (empty,) = render_reply(Reply())
    assert empty.embeds[0].description
    only_buttons = render_reply(Reply(buttons=((Button("Go", "v1:x.go"),),)))
    assert only_buttons[0].embeds == () and len(only_buttons[0].rows) == 1


def test_buttons_are_laid_out_deduplicated_and_labelled() -> None:
    long_label = Button(label="L" * 200, payload="v1:a:1")
    duplicate = Button(label="again", payload="v1:a:1")
    others = tuple(Button(str(n), f"v1:a:{n}") for n in range(2, 40))
    reply = Reply(blocks=(Paragraph("hi"),), buttons=((long_label, duplicate, *others),))
    messages = render_reply(reply)
    rows = [row for message in messages for row in message.rows]
    assert all(len(row) <= 5 for row in rows)
    assert all(len(message.rows) <= 5 for message in messages)
    payloads = [b.payload for row in rows for b in row]
    assert len(payloads) == len(set(payloads)) == 39
    assert messages[0].embeds and messages[0].rows  # the text message holds the first 25
    assert all(not m.embeds for m in messages[1:])


def test_long_fields_are_split_into_more_fields_and_embeds() -> None:
    pairs = tuple((f"name {n}" * 50, "v" * 3000) for n in range(30))
    messages = render_reply(Reply(title="T" * 500, blocks=(Fields(pairs),), footer="f" * 5000))
    embeds = [embed for message in messages for embed in message.embeds]
    assert len(embeds[0].title or "") <= 256
    assert len(embeds[-1].footer.text or "") <= 2048
    for message in messages:
        assert len(message.embeds) <= EMBEDS_PER_MESSAGE
        assert sum(len(embed) for embed in message.embeds) <= EMBED_TOTAL_LIMIT
    for embed in embeds:
        assert len(embed.fields) <= 25
        assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in embed.fields)
    assert sum(len(f.value or "") for e in embeds for f in e.fields) >= 30 * 3000


def test_render_single_cuts_to_one_message() -> None:
    reply = Reply(
        blocks=tuple(Paragraph("x" * 3000) for _ in range(10)),
        buttons=((Button("Go", "v1:x.go"),),),
        attachment=Attachment("a b.png", b"png", "image/png", is_image=True),
    )
    message = render_single(reply)
    assert sum(len(embed) for embed in message.embeds) <= EMBED_TOTAL_LIMIT
    assert message.rows and message.attachment is not None
    assert message.embeds[-1].image.url == "attachment://a_b.png"


def test_button_labels_fit() -> None:
    assert len(button_label(Button(label="x" * 100, payload="v1:a"))) == BUTTON_LABEL_LIMIT
    assert button_label(Button(label="   ", payload="v1:a")) == "…"


def test_whitespace_only_field_names_and_values_are_never_empty_after_discord_trims() -> None:
    """adapters.md D8: Discord trims field names and values and refuses empty ones."""
    pairs = ((" ", "\n"), ("\t", "value"), ("name", "  "))
    (message,) = render_reply(Reply(blocks=(Fields(pairs),)))
    for field in message.embeds[0].fields:
        assert (field.name or "").strip() and (field.value or "").strip()
