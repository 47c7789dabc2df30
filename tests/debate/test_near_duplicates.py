from handlers.text.similarity import find_near_duplicate, normalize, similarity

EXISTING_ZH = [
    (1, "蒸馏是机器学习的标准技术，不能算偷窃。"),
    (2, "模型输出不受版权保护，所以谈不上盗窃。"),
    (3, "这些账号违反了服务条款，而且用了假身份，属于欺诈。"),
]
EXISTING_EN = [
    (10, "Distillation is a standard machine learning technique, not theft."),
    (11, "Anthropic's terms of service forbid training competing models."),
    (12, "Anthropic released no raw data, so the claims cannot be verified."),
]


def test_normalize_drops_case_punctuation_and_width():
    assert normalize("  Hello,  WORLD!! ") == "hello world"
    assert normalize("ＡＰＩ，蒸馏！") == "api 蒸馏"


def test_chinese_near_duplicates_are_found():
    assert find_near_duplicate("蒸馏只是机器学习里的标准技术，不能算是偷窃！", EXISTING_ZH) == 1
    assert find_near_duplicate("模型的输出不受版权保护，因此谈不上盗窃。", EXISTING_ZH) == 2


def test_english_near_duplicates_are_found():
    assert (
        find_near_duplicate(
            "distillation is a STANDARD machine-learning technique; not theft", EXISTING_EN
        )
        == 10
    )
    assert (
        find_near_duplicate(
            "Anthropic's terms of service forbid using outputs to train competing models.",
            EXISTING_EN,
        )
        == 11
    )


def test_exact_resubmission_with_different_spacing_is_found():
    assert find_near_duplicate("  蒸馏是机器学习的标准技术 不能算偷窃 ", EXISTING_ZH) == 1


def test_distinct_chinese_arguments_are_not_flagged():
    for text in (
        "模型输出受到服务条款约束，所以属于违约。",
        "Anthropic 自己也用盗版书训练模型，没资格指责别人。",
        "Anthropic 公布了检测方法，外界可以核实归因。",
    ):
        assert find_near_duplicate(text, EXISTING_ZH) is None, text


def test_distinct_english_arguments_are_not_flagged():
    for text in (
        "OpenAI's terms of service also forbid training competing models, yet no one enforces it.",
        "Anthropic released detailed methods, so the claims can be verified.",
        "Theft is not a standard technique of distillation.",
        "The accounts were fraudulent and evaded a ban on sales in China.",
    ):
        assert find_near_duplicate(text, EXISTING_EN) is None, text


def test_cross_language_and_empty_inputs():
    assert find_near_duplicate("Distillation is not theft.", EXISTING_ZH) is None
    assert find_near_duplicate("!!!", EXISTING_EN) is None
    assert find_near_duplicate("anything", []) is None
    assert similarity("", "abc") == 0.0


def test_most_similar_match_wins():
    existing = [
        (1, "Distillation is standard practice."),
        (2, "Distillation is standard practice!"),
    ]
    assert find_near_duplicate("distillation is standard practice!", existing) in {1, 2}
    assert similarity("same text", "same text") == 1.0
