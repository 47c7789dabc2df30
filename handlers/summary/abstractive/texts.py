"""What written summaries say about themselves, in English and Chinese."""

from bot.i18n import Localized

WRITTEN = Localized(
    "Written by {model} via {provider} from the article's sentences {positions}.",
    "本摘要由 {model}（经 {provider}）根据文章第 {positions} 句写成。",
)
TRANSLATED = Localized(
    "This article has no {language} edition: this is a machine translation by {model} via"
    " {provider} of the summary of its {original} text (the article's sentences {positions})."
    " A moderator can add a {language} summary: /summary edit followed by the summary written"
    " in {language}.",
    "这篇文章没有{language}版：以下是 {model}（经 {provider}）对{original}原文摘要的机器翻译"
    "（原文第 {positions} 句）。"
    "管理员可以添加{language}摘要：在 /summary edit 后面写上{language}摘要。",
)
BEING_WRITTEN = Localized(
    "{model} via {provider} is writing a summary from the article's sentences; it will replace"
    " this one.",
    "{model}（经 {provider}）正在根据文章原句撰写摘要，写好后将替换这份摘要。",
)
BEING_TRANSLATED = Localized(
    "{model} via {provider} is translating this summary into {language}; the translation will"
    " replace it.",
    "{model}（经 {provider}）正在把这份摘要译成{language}，译文将替换这份摘要。",
)
DID_NOT_HOLD = Localized(
    "What {model} wrote did not hold up against the article's sentences, so this is the"
    " automatic summary.",
    "{model} 写出的内容与文章原句对不上，因此这里显示的是自动摘要。",
)
NO_ANSWER = Localized(
    "{model} via {provider} gave no usable answer, so this is the automatic summary.",
    "{model}（经 {provider}）没有给出可用的回答，因此这里显示的是自动摘要。",
)
BUDGET_USED = Localized(
    "This chat has used today's {budget} requests to the language model, so this is the"
    " automatic summary.",
    "本群今天向大模型发出的 {budget} 次请求已经用完，因此这里显示的是自动摘要。",
)
SWITCH = Localized("written summaries", "大模型摘要")
