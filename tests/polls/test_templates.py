import re

import pytest

from handlers.polls.rules import validate_draft
from handlers.polls.templates import TEMPLATES


def test_at_least_four_templates_with_stable_slug_names():
    assert len(TEMPLATES) >= 4
    assert "distillation-theft" in TEMPLATES
    for name, template in TEMPLATES.items():
        assert name == template.name
        assert re.fullmatch("[a-z]+(-[a-z]+)*", name)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_template_is_a_valid_poll_in_each_language(name, lang):
    draft = TEMPLATES[name].draft(lang)
    validate_draft(draft)
    if lang == "zh":
        assert re.search("[\u4e00-\u9fff]", draft.question)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_template_offers_an_unsure_option(name):
    assert TEMPLATES[name].options[-1] == ("Not sure", "不确定")
