"""What the poll commands say, in English and Simplified Chinese."""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import Locale, Localized
from handlers.polls.rules import PollRuleCode

# --- command and parameter descriptions (at most 100 characters each) ---------------------------
POLL = Localized("Start a poll: question | option | option …", "发起投票：问题 | 选项 | 选项 …")
POLL_TEXT = Localized(
    "Q | A | B, then --multi N --ranked --anonymous --results after-vote"
    " --for 2h|--until DATE --role ID",
    "问题 | 选项 | 选项，可加 --multi N --ranked --anonymous --results after-vote"
    " --for 2h 或 --until 日期 --role 角色",
)
POLL_SHAPE = Localized(
    "Write the poll as: question | option | option (up to 10 options).",
    "投票格式：问题 | 选项 | 选项（最多 10 个选项）。",
)
TEMPLATE = Localized("Post a ready-made debate poll", "发布现成的辩论投票")
TEMPLATE_NAME = Localized(
    "template name, then settings like --anonymous --for 1h (empty: list them)",
    "模板名，可再加 --anonymous --for 1h 等设置（留空则列出全部）",
)
STANCE_TEMPLATE = Localized(
    "template name (leave empty for the first; /poll template lists them)",
    "模板名（留空则用第一个；/poll template 可列出全部）",
)
LIST = Localized("Open and recent polls in this chat", "本群进行中和最近的投票")
RESULTS = Localized(
    "Results of a poll: chart and tally, or per chat with bychat",
    "投票结果：图表与计票；加“按群”可看各群的投票",
)
RESULTS_VIEW = Localized(
    "chart (the default) or bychat: the votes cast in each chat",
    "图表（chart，默认）或 按群（bychat）：各群的投票",
)
RESULTS_VIEW_CHART = Localized("chart and tally", "图表与计票")
RESULTS_VIEW_BY_CHAT = Localized("per chat", "按群")
EXPORT = Localized(
    "Export a poll as CSV (anonymous polls: counts only)", "导出投票 CSV（匿名投票只含计数）"
)
CLOSE = Localized("Close a poll (its creator or a moderator)", "结束投票（发起人或管理员）")
SHARE = Localized(
    "Show a poll in another chat too, with one shared tally", "把投票同步到另一个群，计票共享"
)
SHARE_TARGET = Localized(
    "the chat: a mention like #name, or platform:chat_id", "目标群：如 #名称，或 平台:群ID"
)
POLL_ID = Localized("the poll number, e.g. 12", "投票编号，例如 12")
POSTABLE_POLL = Localized(
    "A poll: a debate template or an existing poll", "投票：辩论模板或已有投票"
)
POSTABLE_STANCE = Localized("A stance check on a debate template", "基于辩论模板的立场测验")
POSTABLE_POLL_LABEL = Localized("poll", "投票")
POSTABLE_STANCE_LABEL = Localized("stance check", "立场测验")
STANCE = Localized(
    "Stance check: vote before and after reading both sides (no template named: the first)",
    "立场测验：阅读正反观点前后各投一次（不写模板名则用第一个）",
)
STANCE_AFTER = Localized(
    "Close the before-poll of a stance check and open the after-poll",
    "结束立场测验的前测并开始后测",
)
STANCE_RESULTS = Localized("How positions moved in a stance check", "立场测验中立场如何变化")

# --- creating -----------------------------------------------------------------------------------
UNKNOWN_FLAG = Localized(
    "Unknown setting `{flag}`. Settings: --multi [N], --ranked, --anonymous,"
    " --results live|after-vote|after-close, --for 2h, --until 2026-12-01 09:00, --role ROLE,"
    " --open, --shuffle, --remind 30m.",
    "未知设置 `{flag}`。可用设置：--multi [N]、--ranked、--anonymous、"
    "--results live|after-vote|after-close、--for 2h、--until 2026-12-01 09:00、--role 角色、"
    "--open、--shuffle、--remind 30m。",
)
FLAG_NEEDS_VALUE = Localized(
    "`{flag}` needs a value, e.g. {example}.", "`{flag}` 需要一个值，例如 {example}。"
)
BAD_MULTI = Localized(
    "`--multi` takes how many options one may pick, e.g. --multi 2 (got “{value}”).",
    "`--multi` 后面是最多可选几项，例如 --multi 2（当前为“{value}”）。",
)
MULTI_AND_RANKED = Localized(
    "A poll is either --multi or --ranked, not both.", "投票只能是 --multi 或 --ranked 之一。"
)
BAD_RESULTS = Localized(
    "`--results` is live, after-vote or after-close (got “{value}”).",
    "`--results` 只能是 live、after-vote 或 after-close（当前为“{value}”）。",
)
BAD_DURATION = Localized(
    "`--for` takes a duration like 30m, 2h or 3d (got “{value}”).",
    "`--for` 后面是时长，例如 30m、2h 或 3d（当前为“{value}”）。",
)
BAD_REMIND = Localized(
    "`--remind` takes how long before the deadline, like 30m or 1h (got “{value}”).",
    "`--remind` 后面是截止前多久提醒，例如 30m 或 1h（当前为“{value}”）。",
)
BAD_DEADLINE = Localized(
    "`--until` takes a date and time like 2026-12-01 09:00 ({zone}) (got “{value}”).",
    "`--until` 后面是日期和时间，例如 2026-12-01 09:00（{zone}）（当前为“{value}”）。",
)
BAD_ROLE = Localized(
    "`--role` takes a role mention or role id (got “{value}”).",
    "`--role` 后面是角色提及或角色 ID（当前为“{value}”）。",
)
UNKNOWN_TEMPLATE = Localized(
    "There is no poll template “{name}”. Templates: {names}.",
    "没有名为“{name}”的投票模板。可用模板：{names}。",
)
TEMPLATE_NEEDED = Localized(
    "Name a poll template: {names}.",
    "请写明投票模板名称：{names}。",
)
TEMPLATES_TITLE = Localized("Debate poll templates", "辩论投票模板")
TEMPLATES_HINT = Localized(
    "Post one with /poll template NAME, settings may follow (--anonymous --for 1h).",
    "用 /poll template 模板名 发布，后面可加设置（--anonymous --for 1h）。",
)

# --- poll rules: one message per violation; placeholders are the error's params ------------------
RULE_MESSAGES: Mapping[PollRuleCode, Localized] = {
    PollRuleCode.MISSING_SEPARATOR: POLL_SHAPE,
    PollRuleCode.QUESTION_EMPTY: Localized(
        "The question is empty.",
        "问题不能为空。",
    ),
    PollRuleCode.QUESTION_TOO_LONG: Localized(
        "The question is {length} characters long; the limit is {max}.",
        "问题有 {length} 个字符，上限是 {max} 个。",
    ),
    PollRuleCode.TOO_FEW_OPTIONS: Localized(
        "A poll needs at least {min} options; this one has {count}.",
        "投票至少需要 {min} 个选项，当前只有 {count} 个。",
    ),
    PollRuleCode.TOO_MANY_OPTIONS: Localized(
        "A poll can have at most {max} options; this one has {count}.",
        "投票最多只能有 {max} 个选项，当前有 {count} 个。",
    ),
    PollRuleCode.OPTION_EMPTY: Localized(
        "Option {number} is empty.",
        "第 {number} 个选项为空。",
    ),
    PollRuleCode.OPTION_TOO_LONG: Localized(
        "Option {number} is {length} characters long; the limit is {max}.",
        "第 {number} 个选项有 {length} 个字符，上限是 {max} 个。",
    ),
    PollRuleCode.DUPLICATE_OPTIONS: Localized(
        "Options {first} and {second} are the same (ignoring case and spaces).",
        "第 {first} 个和第 {second} 个选项相同（不区分大小写和空格）。",
    ),
    PollRuleCode.MAX_CHOICES_NOT_MULTI: Localized(
        'Only multiple-choice polls take "up to N"; this poll is {kind}.',
        "只有多选投票可以设置“最多选 N 项”，当前投票类型是 {kind}。",
    ),
    PollRuleCode.MAX_CHOICES_OUT_OF_RANGE: Localized(
        '"Up to {value}" must be between 1 and the number of options ({max}).',
        "“最多选 {value} 项”必须在 1 到选项数（{max}）之间。",
    ),
    PollRuleCode.DURATION_AND_DEADLINE: Localized(
        "Give either a duration or a deadline, not both.",
        "请只设置时长或截止时间中的一个。",
    ),
    PollRuleCode.DURATION_TOO_SHORT: Localized(
        "A poll must run at least {min_minutes} min.",
        "投票时长至少为 {min_minutes} 分钟。",
    ),
    PollRuleCode.DURATION_TOO_LONG: Localized(
        "A poll can run at most {max_days} days.",
        "投票时长最多为 {max_days} 天。",
    ),
    PollRuleCode.DEADLINE_TOO_SOON: Localized(
        "The deadline must be at least {min_minutes} min from now.",
        "截止时间必须至少在 {min_minutes} 分钟之后。",
    ),
    PollRuleCode.DEADLINE_TOO_FAR: Localized(
        "The deadline can be at most {max_days} days from now.",
        "截止时间最多只能在 {max_days} 天之后。",
    ),
    PollRuleCode.BALLOT_EMPTY: Localized(
        "Pick at least one option.",
        "请至少选择一个选项。",
    ),
    PollRuleCode.BALLOT_NOT_SINGLE: Localized(
        "This poll takes exactly one choice; you picked {count}.",
        "此投票只能选择一项，你选择了 {count} 项。",
    ),
    PollRuleCode.BALLOT_TOO_MANY: Localized(
        "You can pick up to {max} options; you picked {count}.",
        "最多可以选择 {max} 项，你选择了 {count} 项。",
    ),
    PollRuleCode.BALLOT_DUPLICATE: Localized(
        "Option {number} is picked more than once.",
        "第 {number} 个选项被重复选择。",
    ),
    PollRuleCode.BALLOT_UNKNOWN_OPTION: Localized(
        "There is no option {number}; this poll has options 1 to {count}.",
        "没有第 {number} 个选项，此投票的选项为 1 到 {count}。",
    ),
    PollRuleCode.REMIND_WITHOUT_DEADLINE: Localized(
        "`--remind` needs a deadline: add --for 2h or --until 2026-12-01 09:00.",
        "`--remind` 需要截止时间：请加上 --for 2h 或 --until 2026-12-01 09:00。",
    ),
    PollRuleCode.REMIND_TOO_SHORT: Localized(
        "The reminder must come at least {min_minutes} min before the deadline.",
        "提醒至少要在截止前 {min_minutes} 分钟发出。",
    ),
    PollRuleCode.REMIND_NOT_BEFORE_CLOSE: Localized(
        "The reminder must come after the poll starts: make it shorter than the poll's duration.",
        "提醒必须在投票开始之后发出：请让提醒时间短于投票时长。",
    ),
    PollRuleCode.OPTIONS_FULL: Localized(
        "This poll has no room for another option (at most {max}, removed ones included).",
        "此投票不能再添加选项（最多 {max} 个，已删除的选项也计算在内）。",
    ),
    PollRuleCode.ADDED_ENOUGH: Localized(
        "You have added {max} options to this poll already; that is the limit per person.",
        "你已为此投票添加了 {max} 个选项，这是每人的上限。",
    ),
    PollRuleCode.OPTION_NEAR_DUPLICATE: Localized(
        "That is nearly the same as the option “{option}”.",
        "这与已有选项“{option}”几乎相同。",
    ),
}

# --- finding polls ------------------------------------------------------------------------------
NO_SUCH_POLL = Localized("There is no poll #{id} in this chat.", "本群没有编号为 #{id} 的投票。")
NOT_THIS_CHATS_POLL = Localized(
    "Only moderators of the chat where poll #{id} was started can do that, from that chat.",
    "只有发起投票 #{id} 的那个群的管理员可以在该群这样做。",
)
NOT_YOUR_POLL = Localized(
    "Only the creator of poll #{id} or a moderator of the chat where it was started can do that.",
    "只有投票 #{id} 的发起人或发起它的那个群的管理员可以这样做。",
)
NO_POLLS = Localized(
    "No polls in this chat yet. Start one with /poll question | option | option.",
    "本群还没有投票。用 /poll 问题 | 选项 | 选项 发起一个。",
)
LIST_TITLE = Localized("Polls in this chat", "本群的投票")
LIST_PAGE_TITLE = Localized("Polls in this chat — page {page}", "本群的投票 — 第 {page} 页")
LIST_PAGE = Localized(
    "page: 1 is the newest polls, 2 the ones before…", "页码：1 为最新的投票，2 为更早的…"
)
LIST_OPEN = Localized(
    "#{id} {question} — open, {voters}", "#{id} {question} — 进行中，{voters}已投"
)
LIST_CLOSES = Localized(", closes {when}", "，{when} 截止")
LIST_CLOSED = Localized(
    "#{id} {question} — closed {when}, {voters}",
    "#{id} {question} — 已于 {when} 结束，{voters}投票",
)
LIST_MORE = Localized(
    "Older polls follow: /poll list {page} shows them.",
    "还有更早的投票：/poll list {page} 可查看。",
)
NO_SUCH_PAGE = Localized(
    "There is no page {page} of polls in this chat; /poll list shows the newest.",
    "本群的投票没有第 {page} 页；/poll list 显示最新的投票。",
)
VOTER = Localized("{count} voter", "{count} 人")
VOTERS = Localized("{count} voters", "{count} 人")


def voters(count: int, lang: Locale) -> str:
    """`1 voter`, `3 voters`; Chinese `3 人`."""
    return (VOTER if count == 1 else VOTERS).render(lang, count=count)


# --- the poll message ---------------------------------------------------------------------------
POLL_TITLE = Localized("Poll #{id}", "投票 #{id}")
POLL_CLOSED_TITLE = Localized("Poll #{id} (closed)", "投票 #{id}（已结束）")
STANCE_BEFORE_TITLE = Localized(
    "Stance check #{id} — before (poll #{poll})", "立场测验 #{id} — 阅读前（投票 #{poll}）"
)
STANCE_AFTER_TITLE = Localized(
    "Stance check #{id} — after (poll #{poll})", "立场测验 #{id} — 阅读后（投票 #{poll}）"
)
KIND_SINGLE = Localized("one choice", "单选")
KIND_MULTI = Localized("up to {max} choices", "最多选 {max} 项")
KIND_RANKED = Localized("ranked (instant-runoff)", "排序投票（即时决选）")
ANONYMOUS = Localized("anonymous", "匿名")
NAMED = Localized("named: moderators can export who voted what", "实名：管理员可导出投票明细")
ROLE_ONLY = Localized("only role {role} can vote", "仅角色 {role} 可投票")
CLOSES_AT = Localized("closes {when}", "{when} 截止")
CLOSED_AT = Localized("closed {when}", "已于 {when} 结束")
HIDDEN_AFTER_VOTE = Localized(
    "Results are shown to you after you vote. Voters so far: {voters}",
    "投票后你才能看到结果。目前已有 {voters} 人投票",
)
HIDDEN_AFTER_CLOSE = Localized(
    "Results are shown when the poll closes. Voters so far: {voters}",
    "投票结束后公布结果。目前已有 {voters} 人投票",
)
HOW_SINGLE = Localized(
    "Press an option to vote; press another to change, the same one again to withdraw.",
    "点击选项投票；点其他选项可改票，再点同一选项可撤回。",
)
HOW_BALLOT = Localized(
    "Press an option to fill in your ballot privately, then submit it.",
    "点击选项后会私下打开你的选票，填好后提交。",
)
RANKED_FIRST = Localized("First preferences:", "第一选择：")

# --- voting -------------------------------------------------------------------------------------
POLL_CLOSED = Localized(
    "Poll #{id} is closed; votes are no longer accepted.", "投票 #{id} 已结束，不再接受投票。"
)
NOT_ALLOWED = Localized(
    "Only members with the role {role} can vote in poll #{id}.",
    "只有拥有角色 {role} 的成员才能参与投票 #{id}。",
)
VOTE_RECORDED = Localized(
    "Your vote in poll #{id} is in: {choices}.", "你在投票 #{id} 的选择已记录：{choices}。"
)
VOTE_CHANGED = Localized(
    "Your vote in poll #{id} is now: {choices}.", "你在投票 #{id} 的选择已改为：{choices}。"
)
VOTE_RETRACTED = Localized("Your vote in poll #{id} is withdrawn.", "你在投票 #{id} 的选择已撤回。")
NO_VOTE = Localized(
    "You have no vote in poll #{id} to withdraw.", "你在投票 #{id} 中没有可撤回的选择。"
)
ANONYMOUS_NOTE = Localized("Nobody can see who voted what.", "任何人都无法看到谁投了什么。")
BALLOT_TITLE = Localized("Your ballot — poll #{id}", "你的选票 — 投票 #{id}")
BALLOT_EMPTY = Localized("Nothing picked yet.", "还没有选择任何选项。")
BALLOT_HOW_MULTI = Localized(
    "Press options to pick or unpick them (up to {max}), then Submit.",
    "点击选项选中或取消（最多 {max} 项），然后提交。",
)
BALLOT_HOW_RANKED = Localized(
    "Press options in order of preference (first = favourite); press again to remove. Then Submit.",
    "按偏好顺序点击选项（第一个最喜欢），再点一次可移除，然后提交。",
)
BALLOT_FULL = Localized(
    "You can pick up to {max} options; unpick one first.", "最多只能选 {max} 项，请先取消一个。"
)
SUBMIT = Localized("Submit", "提交")
WITHDRAW = Localized("Withdraw my vote", "撤回我的投票")
BAD_BALLOT_BUTTON = Localized(
    "That ballot button is out of date; press an option on the poll again.",
    "这个选票按钮已失效，请重新点击投票中的选项。",
)
RESULTS_NOW = Localized("Results so far:", "目前结果：")
LIST_JOINER = Localized(", ", "、")

# --- result labels (text tally, chart, instant-runoff rounds) ------------------------------------
TOTAL_VOTERS = Localized("Total voters: {voters}", "投票人数：{voters}")
VOTES_AXIS = Localized("Votes", "票数")
IRV_ROUND = Localized("Round {number}", "第 {number} 轮")
IRV_ELIMINATED = Localized("eliminated: {options}", "淘汰：{options}")
IRV_EXHAUSTED = Localized("exhausted ballots: {count}", "已用尽的选票：{count}")
IRV_WINNER = Localized("Winner: {option}", "胜出：{option}")
IRV_TIE = Localized("Tie: {options}", "平局：{options}")
IRV_RULE = Localized(
    "Instant-runoff: each round the option with the fewest votes leaves and its ballots count for"
    " their next choice. A tie for fewest: the one with fewer votes in the latest earlier round"
    " where they differ leaves, then the one ranked first on fewer ballots (then second …); still"
    " level, all of them leave.",
    "即时决选：每一轮得票最少的选项被淘汰，其选票转给下一个选择。并列最少时，先看它们在最近一个不同的"
    "前一轮中谁票少，再看谁被排在第一位的次数少（然后是第二位……），仍然相同则一起淘汰。",
)
IRV_NO_WINNER = Localized("No winner: no ballot was counted.", "无胜出者：没有可计的选票。")

# --- results, export, close ---------------------------------------------------------------------
RESULTS_TITLE = Localized("Results of poll #{id}", "投票 #{id} 的结果")
RESULTS_CLOSED_TITLE = Localized("Final results of poll #{id}", "投票 #{id} 的最终结果")
RESULTS_HIDDEN_UNTIL_CLOSE = Localized(
    "The results of poll #{id} are hidden until it closes.", "投票 #{id} 的结果在结束前不公开。"
)
RESULTS_HIDDEN_UNTIL_VOTE = Localized(
    "Vote in poll #{id} first; its results are shown to voters.",
    "请先参与投票 #{id}，结果只对已投票者显示。",
)
CHART_DESCRIPTION = Localized("Bar chart of the votes per option", "各选项得票的柱状图")
CHART_RANKED_DESCRIPTION = Localized(
    "Bar chart of the instant-runoff count: each option's votes in its last round, the winner"
    " marked, and a table of every round",
    "即时决选计票的柱状图：各选项在其最后一轮的票数，标出胜出者，下方附每一轮的计票表",
)
CHART_RANKED_AXIS = Localized(
    "Votes in each option's last round (instant-runoff, {rounds} rounds)",
    "各选项在其最后一轮的票数（即时决选，共 {rounds} 轮）",
)
CHART_WINNER = Localized("winner", "胜出")
CHART_TIED = Localized("tied", "平局")
CHART_OUT_IN_ROUND = Localized("out in round {number}", "第 {number} 轮淘汰")
EXPORT_DONE = Localized("Poll #{id} as CSV.", "投票 #{id} 的 CSV 文件。")
EXPORT_ANONYMOUS_RANKED = Localized(
    "Poll #{id} is anonymous: the file has how many ballots gave each ranking (enough to recount"
    " every round), and no voters.",
    "投票 #{id} 是匿名的：文件只列出每种排序各有多少张选票（足以重算每一轮），不含投票人。",
)
EXPORT_AFTER_VOTE_OPEN = Localized(
    "Poll #{id} shows its results only to people who voted while it is open; export it once it"
    " has closed (/poll close {id}).",
    "投票 #{id} 进行中只向已投票的人显示结果；请在结束后导出（/poll close {id}）。",
)
EXPORT_FORGOTTEN = Localized("(forgotten at their request)", "（应本人要求已删除身份）")
EXPORT_ANONYMOUS = Localized(
    "Poll #{id} is anonymous: the file has counts per option only.",
    "投票 #{id} 是匿名的：文件只包含各选项的计数。",
)
ALREADY_CLOSED = Localized("Poll #{id} is already closed.", "投票 #{id} 已经结束。")
CLOSED_BY_HAND = Localized("Poll #{id} is closed.", "投票 #{id} 已结束。")

# --- sharing ------------------------------------------------------------------------------------
CANNOT_SHARE = Localized(
    "I can't post poll #{id} there: {reason}", "无法把投票 #{id} 发到那里：{reason}"
)
SAME_CHAT = Localized("Poll #{id} is already shown in this chat.", "投票 #{id} 已经在本群显示。")
ALREADY_SHOWN_THERE = Localized(
    "Poll #{id} is already shown in {target}.", "投票 #{id} 已经在 {target} 显示。"
)
SHARED = Localized(
    "Poll #{id} is now also shown in {target}; every copy shows the same tally."
    " Note: I can only check that you moderate this chat, not the other one.",
    "投票 #{id} 已同步到 {target}，所有副本显示同一计票。"
    "注意：我只能确认你是本群管理员，无法确认你在目标群的身份。",
)

SHARED_CLOSED = Localized(
    "Poll #{id} is closed: the copy shows its final results and takes no votes.",
    "投票 #{id} 已结束：副本只显示最终结果，不能再投票。",
)

# --- per-chat breakdown -------------------------------------------------------------------------
BY_CHAT = Localized("By chat", "按群查看")
BY_CHAT_TITLE = Localized("Poll #{id} by chat", "投票 #{id} 按群统计")
BY_CHAT_LINE = Localized("{chat}: {voters}", "{chat}：{voters}投票")
BY_CHAT_OPTION = Localized("{option}: {votes}", "{option}：{votes}")
THIS_CHAT = Localized("this chat", "本群")
OTHER_CHAT = Localized("{platform} chat {number}", "{platform} 群 {number}")
BY_CHAT_POOLED = Localized(
    "Counted together — chats with fewer than {k} voters (shown apart they could give an"
    " anonymous voter away) and ballots whose chat was not recorded: {voters}",
    "合并统计 — 投票人数少于 {k} 的群（单独显示可能暴露匿名投票者）"
    "以及未记录所在群的选票：{voters}",
)
BY_CHAT_UNRECORDED = Localized(
    "Ballots whose chat was not recorded (cast before chats were recorded, or on a private"
    " ballot): {voters}",
    "未记录所在群的选票（记录所在群之前投出，或在私聊选票中提交）：{voters}",
)
BY_CHAT_NO_VOTES = Localized("No votes yet.", "还没有人投票。")
BY_CHAT_RANKED_NOTE = Localized(
    "Ranked poll: each ballot counts for its first choice here.",
    "排序投票：此处每张选票只计第一选择。",
)

# --- closing ------------------------------------------------------------------------------------
ANNOUNCE_TITLE = Localized("Poll #{id} has closed", "投票 #{id} 已结束")

# --- stance -------------------------------------------------------------------------------------
STANCE_INTRO = Localized(
    "Where do you stand before reading both sides? Answers are anonymous. When the discussion is"
    " done, the creator or a moderator runs /stance after {id} to ask again.",
    "阅读正反双方观点之前，你的立场是什么？回答是匿名的。讨论结束后，由发起人或管理员运行"
    " /stance after {id} 再问一次。",
)
STANCE_AFTER_INTRO = Localized(
    "Having read both sides, where do you stand now? /stance results {id} shows how positions"
    " moved once this poll closes.",
    "读过正反双方的观点后，你现在的立场是什么？"
    "本投票结束后，/stance results {id} 会显示立场的变化。",
)
NOT_A_STANCE = Localized(
    "Poll #{id} is not the first poll of a stance check.", "投票 #{id} 不是立场测验的前测。"
)
ALREADY_VOTED_BEFORE_FORGET = Localized(
    "You already voted in poll #{id} before asking Parley to forget you. That vote still"
    " counts, but it no longer carries your name, so it cannot be changed or cast again.",
    "你在要求 Parley 删除你的数据之前已经在投票 #{id} 中投过票。那一票仍然计入结果，"
    "但已不再与你关联，因此无法更改，也不能再投一次。",
)
STANCE_AFTER_TOO_LATE = Localized(
    "Stance check #{id} closed more than {days} days ago without an after-poll, so the key that"
    " pairs the two polls is erased. Start a new one with /stance.",
    "立场测验 #{id} 结束已超过 {days} 天且没有“阅读后”投票，配对两次投票的密钥已被删除。"
    "请用 /stance 重新开始。",
)
STANCE_AFTER_EXISTS = Localized(
    "Stance check #{id} already has its after-poll: #{after}.",
    "立场测验 #{id} 已有后测：#{after}。",
)
STANCE_NO_AFTER_YET = Localized(
    "Stance check #{id} is not finished: start its after-poll with /stance after {id}, then close"
    " it with /poll close.",
    "立场测验 #{id} 尚未完成：先用 /stance after {id} 开始后测，再用 /poll close 结束它。",
)
STANCE_AFTER_OPEN = Localized(
    "Stance check #{id} is not finished: its after-poll, poll #{after}, is still open. Close it"
    " with /poll close {after}.",
    "立场测验 #{id} 尚未完成：后测（投票 #{after}）仍在进行。请用 /poll close {after} 结束它。",
)
STANCE_TITLE = Localized("How positions moved — stance check #{id}", "立场变化 — 立场测验 #{id}")
STANCE_SUMMARY = Localized(
    "Counted among the people who answered both polls: {both}, of whom {changed} changed"
    " their answer. The two polls' own tallies also count those who answered only one.",
    "以下只统计两次都回答的人：共 {both} 人，其中 {changed} 人改变了答案。"
    "两次投票各自的计票还包括只回答了一次的人。",
)
STANCE_ONLY_ONE = Localized(
    "Answered only before: {before}; only after: {after}.",
    "只回答了前测：{before}；只回答了后测：{after}。",
)
STANCE_MOVE = Localized("{source} → {target}: {count}", "{source} → {target}：{count}")
STANCE_SMALL_MOVES = Localized(
    "Other changes (each made by fewer than {k} people, not shown apart): {count}",
    "其他变化（每种少于 {k} 人，不单独显示）：{count}",
)
STANCE_NET = Localized(
    "Net change among the {both} who answered both: {changes}",
    "两次都回答的 {both} 人中的净变化：{changes}",
)
STANCE_NET_JOINER = Localized("; ", "；")
STANCE_NO_CHANGE = Localized("Nobody changed their answer.", "没有人改变答案。")
