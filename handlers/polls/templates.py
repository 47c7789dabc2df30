"""Ready-made debate polls on model distillation, in English and Simplified Chinese.

Wording is neutral: each question can be answered either way, and each option set includes the
positions taken in the debate plus an "unsure" option. Posted with `/poll template NAME`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from bot.i18n import Locale
from handlers.polls.model import PollDraft


@dataclass(frozen=True, slots=True)
class PollTemplate:
    """A named poll with its question and options in both languages."""

    name: str
    question: tuple[str, str]
    options: tuple[tuple[str, str], ...]

    def draft(self, lang: Locale) -> PollDraft:
        """Return the template as a single-choice draft in the language."""
        pick = 1 if lang == "zh" else 0
        return PollDraft(
            question=self.question[pick], options=tuple(pair[pick] for pair in self.options)
        )


_UNSURE = ("Not sure", "不确定")

TEMPLATES: Mapping[str, PollTemplate] = {
    template.name: template
    for template in (
        PollTemplate(
            name="distillation-theft",
            question=(
                "Is distilling a competitor's model through its API theft?",
                "通过 API 蒸馏竞争对手的模型，算不算盗窃？",
            ),
            options=(
                ("Yes, it is theft", "算，这是盗窃"),
                ("It breaks the terms of use, but it is not theft", "违反使用条款，但不算盗窃"),
                ("No, learning from outputs is fair", "不算，从输出中学习是正当的"),
                _UNSURE,
            ),
        ),
        PollTemplate(
            name="terms-ban",
            question=(
                "Should an AI provider's terms be able to forbid training on its outputs?",
                "AI 服务商是否应当可以在条款中禁止用其输出训练模型？",
            ),
            options=(
                ("Yes, and it should be enforceable", "应当，而且应具有约束力"),
                ("Yes, but only as a contract term", "可以，但只作为合同条款"),
                ("No, outputs should be free to use", "不应当，输出应可自由使用"),
                _UNSURE,
            ),
        ),
        PollTemplate(
            name="web-data-consistency",
            question=(
                "AI labs train on public web data. Does that weaken their case against "
                "distillation?",
                "AI 公司用公开网络数据训练模型，这是否削弱了它们反对蒸馏的理由？",
            ),
            options=(
                ("Yes, it is the same practice", "是，两者本质相同"),
                ("Partly", "部分削弱"),
                ("No, the two are different", "否，两者不同"),
                _UNSURE,
            ),
        ),
        PollTemplate(
            name="distillation-impact",
            question=(
                "How much of open models' recent progress comes from distilling closed models?",
                "开源模型近来的进步，有多少来自对闭源模型的蒸馏？",
            ),
            options=(
                ("Most of it", "大部分"),
                ("Some of it", "一部分"),
                ("Little of it", "很少"),
                _UNSURE,
            ),
        ),
        PollTemplate(
            name="evidence-disclosure",
            question=(
                "Should a company that accuses another lab of distillation publish its evidence?",
                "指控其他公司蒸馏其模型的企业，是否应当公开证据？",
            ),
            options=(
                ("Yes, in full", "应当，全部公开"),
                ("Yes, to an independent reviewer", "应当，交由独立第三方审查"),
                ("No, security comes first", "不必，安全优先"),
                _UNSURE,
            ),
        ),
        PollTemplate(
            name="response-measures",
            question=(
                "What is the right response to large-scale distillation through an API?",
                "面对通过 API 的大规模蒸馏，最合适的应对是什么？",
            ),
            options=(
                ("Technical defences only", "仅靠技术防护"),
                ("Lawsuits under the terms of use", "依据使用条款起诉"),
                ("Government rules or export controls", "政府监管或出口管制"),
                ("No response needed", "无需应对"),
                _UNSURE,
            ),
        ),
    )
}
