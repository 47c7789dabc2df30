"""Every user-facing string of the debate and community-argument commands, in both languages."""

from __future__ import annotations

from bot.i18n import Localized
from handlers.debate.model import ClaimStatus, Reliability

# --- command and parameter descriptions -----------------------------------------------------

DEBATE_DESCRIPTION = Localized(
    "Both sides of the debate, with sources; also side, claim, factcheck, timeline, glossary",
    "辩论双方的观点，附来源；另有阵营、论点、事实核查、时间线、术语表",
)
SIDE_DESCRIPTION = Localized("One side's claims", "某一方的全部论点")
CLAIM_DESCRIPTION = Localized(
    "A claim with its evidence, sources and rebuttals", "某条论点及其证据、来源和反驳"
)
FACTCHECK_DESCRIPTION = Localized(
    "Fact-check notes on the article the debate is about", "对本辩论所依据文章的事实核查"
)
TIMELINE_DESCRIPTION = Localized("Timeline of the events", "事件时间线")
GLOSSARY_DESCRIPTION = Localized("Terms used in the debate", "争论中用到的术语")
COMMUNITY_DESCRIPTION = Localized(
    "Top community arguments, equal numbers per side", "社区最佳论点，双方数量相同"
)
ARGUE_DESCRIPTION = Localized(
    "Submit an argument for one side (a moderator reviews it)", "为某一方提交论点（由管理员审核）"
)
QUEUE_DESCRIPTION = Localized("Review pending arguments", "审核待处理的论点")
WITHDRAW_DESCRIPTION = Localized("Withdraw your own argument", "撤回你自己的论点")
SIDE_PARAM = Localized("accusers or defenders", "指控方或辩护方")
CLAIM_PARAM = Localized("claim id, e.g. L1 or C3", "论点编号，例如 L1 或 C3")
TEXT_PARAM = Localized("your argument", "你的论点")
ARGUMENT_ID_PARAM = Localized("argument number", "论点编号")
POSTABLE_DESCRIPTION = Localized(
    "The debate card: the question and both sides", "辩论卡片：问题与双方观点"
)
POSTABLE_LABEL = Localized("debate card", "辩论卡片")
AUDIT_APPROVED = Localized("approved argument #{argument_id}", "通过了论点 #{argument_id}")
AUDIT_REJECTED = Localized("rejected argument #{argument_id}", "驳回了论点 #{argument_id}")
AUDIT_QUEUE_PAGE = Localized(
    "looked at page {page} of the review queue", "查看了待审核论点的第 {page} 页"
)

# --- map views ------------------------------------------------------------------------------

DEBATE_TITLE = Localized("Both sides: the distillation debate", "双方观点：蒸馏之争")
QUESTION = Localized("The question", "问题")
BACKGROUND = Localized("Background", "背景")
STRONGEST = Localized("Strongest claims of each side", "双方最有力的论点")
ORDER_NOTE = Localized(
    "Which side is listed first changes daily. Open a side or a claim for the evidence.",
    "哪一方排在前面每天轮换。打开某一方或某条论点查看证据。",
)
SIDE_TITLE = Localized("Side: {label}", "阵营：{label}")
SIDE_CLAIMS = Localized("Claims", "论点")
CLAIM_TITLE = Localized("Claim {id} · {side}", "论点 {id} · {side}")
STATUS_LINE = Localized("Status: {status}", "状态：{status}")
STATUS_NOTE_LINE = Localized("What is known: {note}", "已知情况：{note}")
EVIDENCE = Localized("Evidence", "证据")
REBUTTALS = Localized("Answered by the other side", "对方的回应")
FACTCHECK_TITLE = Localized("Fact-check notes on “{title}”", "事实核查：《{title}》")
FACTCHECK_INTRO = Localized(
    "Passages of the article this debate is about (not necessarily the one this chat discusses"
    " now), checked against the sources: what is right, what errs or overstates, what cannot be"
    " verified.",
    "本辩论所依据文章（不一定是本群当前讨论的文章）中的段落，对照来源逐条核查：哪些属实，"
    "哪些有误或夸大，哪些无法核实。",
)
FACTCHECK_HEADING = Localized("{id} · {verdict}", "{id} · {verdict}")
TIMELINE_TITLE = Localized("Timeline", "时间线")
GLOSSARY_TITLE = Localized("Glossary", "术语表")
PAGE_FOOTER = Localized("Page {page}/{count}", "第 {page}/{count} 页")
UNKNOWN_CLAIM = Localized(
    "There is no claim “{wanted}”. Claims are {first}–{last} and {other_first}–{other_last};"
    " /debate side lists them.",
    "没有论点“{wanted}”。论点编号为 {first}–{last} 和 {other_first}–{other_last}；"
    "用 /debate side 查看列表。",
)

STATUS_SUFFIX = Localized(" ({status})", "（{status}）")
STATUS_NAMES = {
    ClaimStatus.ESTABLISHED: Localized("Established", "已证实"),
    ClaimStatus.ALLEGED: Localized("Alleged, not established", "指控，尚未证实"),
    ClaimStatus.OPINION: Localized("Opinion or judgement", "观点或判断"),
}
RELIABILITY_MARKERS = {
    Reliability.PRIMARY: Localized("[primary source]", "【一手来源】"),
    Reliability.SECONDARY: Localized("[secondary reporting]", "【二手报道】"),
    Reliability.UNVERIFIED: Localized("[unverified]", "【未经核实】"),
    Reliability.OPINION: Localized("[opinion/analysis]", "【观点或分析】"),
}
SOURCE_LINK = Localized(
    "{marker} {title} — {publisher}, {date}", "{marker}{title}——{publisher}，{date}"
)
TIMELINE_ITEM = Localized("{date} — {text}", "{date}：{text}")
GLOSSARY_ITEM = Localized("{term} — {definition}", "{term}：{definition}")

# --- buttons --------------------------------------------------------------------------------

OPEN_SIDE = Localized("Open: {label}", "查看：{label}")
OTHER_SIDE = Localized("Other side: {label}", "另一方：{label}")
THIS_SIDE = Localized("All claims: {label}", "本方全部论点：{label}")
OPEN_CLAIM = Localized("Claim {id}", "论点 {id}")
FACTCHECK_BUTTON = Localized("Fact-checks", "事实核查")
TIMELINE_BUTTON = Localized("Timeline", "时间线")
GLOSSARY_BUTTON = Localized("Glossary", "术语表")
COMMUNITY_BUTTON = Localized("Community", "社区论点")
HOME_BUTTON = Localized("Overview", "总览")
PREVIOUS_PAGE = Localized("◀ {page}", "◀ {page}")
NEXT_PAGE = Localized("{page} ▶", "{page} ▶")
UPVOTE_BUTTON = Localized("▲ #{id}", "▲ #{id}")
APPROVE_BUTTON = Localized("✓ Approve #{id}", "✓ 通过 #{id}")
REJECT_BUTTON = Localized("✗ Reject #{id}", "✗ 拒绝 #{id}")

# --- community arguments --------------------------------------------------------------------

COMMUNITY_TITLE = Localized("Community arguments", "社区论点")
COMMUNITY_INTRO = Localized(
    "The most upvoted approved arguments of each side, side by side: {first} {first_count},"
    " {second} {second_count} shown. Press ▲ to upvote (once per person).",
    "双方已通过审核的论点按点赞数并排列出：{first}显示 {first_count} 条，{second}显示"
    " {second_count} 条。按 ▲ 点赞（每人一次）。",
)
COMMUNITY_UNEVEN = Localized(
    "{side} has fewer approved arguments so far; none of the other side's is hidden.",
    "{side}目前通过审核的论点较少；另一方的论点没有被隐藏。",
)
COMMUNITY_EMPTY = Localized(
    "No balanced view yet: each side needs at least one approved argument."
    " Submit yours with /argue accusers TEXT or /argue defenders TEXT.",
    "还无法展示平衡的对比：双方各需至少一条已通过审核的论点。"
    "用 /argue 指控方 内容 或 /argue 辩护方 内容 提交你的论点。",
)
ARGUMENT_BYLINE = Localized(
    "#{id} · {side} · ▲ {votes} · {author}", "#{id} · {side} · ▲ {votes} · {author}"
)
QUEUE_TITLE = Localized("Arguments awaiting review ({count})", "待审核论点（{count}）")
QUEUE_EMPTY = Localized("No arguments are waiting for review.", "没有待审核的论点。")
QUEUE_BYLINE = Localized(
    "#{id} · {side} · by {author} · {when}", "#{id} · {side} · 作者 {author} · {when}"
)
SUBMITTED = Localized(
    "Thanks! Your argument #{id} for “{side}” is stored and waits for a moderator."
    " You can withdraw it with /argue withdraw {id}.",
    "谢谢！你为“{side}”提交的论点 #{id} 已保存，正在等待管理员审核。"
    "可用 /argue withdraw {id} 撤回。",
)
RATE_LIMITED = Localized(
    "You can submit {limit} arguments per hour. Please try again in {minutes} min.",
    "每小时最多提交 {limit} 条论点。请在 {minutes} 分钟后再试。",
)
DUPLICATE = Localized(
    "This looks very close to argument #{id}, which is already submitted. Upvote it in"
    " /debate community once it is approved, or make a different point.",
    "这与已提交的论点 #{id} 非常相似。等它通过审核后，你可以在 /debate community 为它点赞，"
    "或换个角度提出新论点。",
)
APPROVED = Localized("Approved argument #{id}.", "已通过论点 #{id}。")
REJECTED = Localized("Rejected argument #{id}.", "已拒绝论点 #{id}。")
ALREADY_DECIDED = Localized(
    "Argument #{id} is no longer pending (decided or withdrawn).",
    "论点 #{id} 已不在待审核状态（已处理或已撤回）。",
)
WITHDRAWN = Localized("You withdrew argument #{id}.", "你已撤回论点 #{id}。")
NOT_YOURS = Localized(
    "Only the author of argument #{id} can withdraw it.", "只有论点 #{id} 的作者才能撤回它。"
)
NOT_WITHDRAWABLE = Localized(
    "Argument #{id} is {status}; it can no longer be withdrawn.",
    "论点 #{id} 当前状态为“{status}”，不能再撤回。",
)
NO_SUCH_ARGUMENT = Localized("There is no argument #{id} in this chat.", "本群没有论点 #{id}。")
VOTE_COUNTED = Localized("Your upvote for #{id} is counted.", "已记录你对 #{id} 的点赞。")
ALREADY_VOTED = Localized(
    "You already upvoted #{id}; each person has one vote per argument.",
    "你已经为 #{id} 点过赞了；每人对每条论点只能点赞一次。",
)
OWN_ARGUMENT = Localized(
    "You can't upvote your own argument (#{id}).", "不能为自己的论点（#{id}）点赞。"
)
NOT_OPEN = Localized(
    "Argument #{id} is not open for votes any more.", "论点 #{id} 已不再接受点赞。"
)
STATUS_WORDS = {
    "pending": Localized("pending", "待审核"),
    "approved": Localized("approved", "已通过"),
    "rejected": Localized("rejected", "已拒绝"),
    "withdrawn": Localized("withdrawn", "已撤回"),
}

PROPOSE_AS_ARGUMENT = Localized("Propose as argument", "提议为论点")
"""The message action that opens /argue's form with the message's text."""
