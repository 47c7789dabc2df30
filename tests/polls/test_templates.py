import re

import pytest

from bot.i18n import Localized
from handlers.polls.rules import validate_draft
from handlers.polls.templates import poll_draft
from handlers.topics.loader import DEFAULT_TOPIC, load_topic

POLLS = {poll.name: poll for poll in load_topic(DEFAULT_TOPIC).polls}


def test_at_least_four_templates_with_stable_slug_names():
    assert len(POLLS) >= 4
    assert "distillation-theft" in POLLS
    for name in POLLS:
        assert re.fullmatch("[a-z]+(-[a-z]+)*", name)


@pytest.mark.parametrize("name", sorted(POLLS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_template_is_a_valid_poll_in_each_language(name, lang):
    draft = poll_draft(POLLS[name], lang)
    validate_draft(draft)
    if lang == "zh":
        assert re.search("[\u4e00-\u9fff]", draft.question)


@pytest.mark.parametrize("name", sorted(POLLS))
def test_each_template_offers_an_unsure_option(name):
    assert POLLS[name].options[-1] == Localized("Not sure", "不确定")
