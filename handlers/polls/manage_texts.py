"""What managing a poll says, in English and Simplified Chinese.

Adding and removing options, deadlines, reopening, cloning, reminders, shuffled ballots, and
who has not voted yet.
"""

from __future__ import annotations

from bot.i18n import Localized

# --- command and parameter descriptions (at most 100 characters each) ----------------------------
ADD = Localized(
    "Add an option to a poll (members, on --open polls; else its creator or a moderator)",
    "为投票添加选项（开放投票人人可加，否则限发起人或管理员）",
)
ADD_TEXT = Localized(
    "the new option's text (up to 80 characters)", "新选项的文字（最多 80 个字符）"
)
REMOVE = Localized("Remove an option members added to a poll", "删除成员为投票添加的选项")
OPTION_NUMBER = Localized("the option's number on the poll, e.g. 3", "选项在投票中的编号，例如 3")
DEADLINE = Localized(
    "Move a poll's deadline: 2h from now, 2026-12-01 09:00, or none",
    "修改投票截止时间：如 2h（从现在起）、2026-12-01 09:00，或“无”（不设截止）",
)
DEADLINE_WHEN = Localized(
    "2h, 2026-12-01 09:00 (this chat's time zone) or none",
    "2h、2026-12-01 09:00（本群时区）或“无”",
)
REOPEN = Localized(
    "Reopen a closed named poll, optionally for a while (2h)",
    "重新开放已结束的实名投票，可限定时长（如 2h）",
)
REOPEN_FOR = Localized(
    "how long it stays open, e.g. 2h (empty: until closed)",
    "开放多久，例如 2h（留空则直到手动结束）",
)
CLONE = Localized(
    "Start a new poll here with the same question and options",
    "在本群发起一个问题和选项相同的新投票",
)
NONVOTERS = Localized(
    "Who voted in this chat's previous poll but not in this one (named polls)",
    "列出在本群上一个投票中投过票、但尚未在此投票中投票的人（仅实名投票）",
)

# --- the poll message ----------------------------------------------------------------------------
OPEN_OPTIONS = Localized("members may add options", "成员可添加选项")
SHUFFLED = Localized("options in your own order", "选项顺序因人而异")
HOW_SHUFFLED = Localized(
    "Press Vote: your private ballot lists the options in an order of your own.",
    "点击“投票”：你的私人选票会以专属于你的顺序列出选项。",
)
VOTE = Localized("Vote", "投票")
HOW_ADD = Localized("Add an option: /poll add {id} TEXT", "添加选项：/poll add {id} 选项文字")

# --- adding and removing options -----------------------------------------------------------------
ADDED = Localized(
    "Added option {number} to poll #{id}: {option}. Existing ballots are unchanged.",
    "已为投票 #{id} 添加第 {number} 个选项：{option}。已投的选票不受影响。",
)
STANCE_OPTIONS_FIXED = Localized(
    "Poll #{id} is part of a stance check: both of its polls keep the same options.",
    "投票 #{id} 属于立场测验：前后两次投票的选项必须相同。",
)
NOT_ADDED = Localized(
    "Option {number} of poll #{id} is not one members added (only those can be removed).",
    "投票 #{id} 的第 {number} 个选项不是成员添加的（只能删除成员添加的选项）。",
)
REMOVED = Localized(
    "Removed option {number} from poll #{id}: {option}. {changed} ballot(s) named it: they keep"
    " their other choices (ranked ballots: later preferences move up); {withdrawn} with no other"
    " choice were withdrawn, and those voters may vote again.",
    "已从投票 #{id} 删除第 {number} 个选项：{option}。共有 {changed} 张选票选了它："
    "这些选票保留其余选择（排序选票中排在后面的选项依次上移）；"
    "其中 {withdrawn} 张没有其他选择，已被撤回，这些投票人可以重新投票。",
)
REMOVED_UNCHOSEN = Localized(
    "Removed option {number} from poll #{id}: {option}. No ballot named it.",
    "已从投票 #{id} 删除第 {number} 个选项：{option}。没有选票选了它。",
)

# --- deadlines, reopening, cloning ---------------------------------------------------------------
BAD_WHEN = Localized(
    "“{value}” is not a deadline. Write a duration from now (2h, 90m), a date and time"
    " (2026-12-01 09:00, {zone}), or none.",
    "“{value}”不是有效的截止时间。请写从现在起的时长（如 2h、90m）、日期和时间"
    "（如 2026-12-01 09:00，{zone} 时区），或“无”（不设截止）。",
)
DEADLINE_SET = Localized("Poll #{id} now closes {when}.", "投票 #{id} 的截止时间已改为 {when}。")
DEADLINE_CLEARED = Localized(
    "Poll #{id} no longer has a deadline; it stays open until it is closed.",
    "投票 #{id} 已取消截止时间，将一直开放到被手动结束。",
)
DEADLINE_CLOSED = Localized(
    "Poll #{id} is closed; reopen it with /poll reopen {id} instead.",
    "投票 #{id} 已结束；请改用 /poll reopen {id} 重新开放。",
)
ALREADY_OPEN = Localized("Poll #{id} is still open.", "投票 #{id} 仍在进行中。")
REOPENED = Localized(
    "Poll #{id} is open again; its final results will be announced when it closes.",
    "投票 #{id} 已重新开放；结束时会再次公布最终结果。",
)
REOPEN_ANONYMOUS = Localized(
    "Poll #{id} is anonymous: the key that kept each voter to one ballot was erased when it"
    " closed, so it cannot be reopened. /poll clone {id} starts a new one.",
    "投票 #{id} 是匿名投票：保证每人只投一票的密钥已在结束时删除，因此无法重新开放。"
    "可以用 /poll clone {id} 发起一个新投票。",
)
REOPEN_AFTER_CLOSE = Localized(
    "Poll #{id} showed its results when it closed; reopening it would let people vote knowing"
    " them. /poll clone {id} starts a new one.",
    "投票 #{id} 结束时已公布结果；重新开放会让人在知道结果后投票。"
    "可以用 /poll clone {id} 发起新投票。",
)
REOPEN_STANCE = Localized(
    "Poll #{id} is part of a stance check and cannot be reopened.",
    "投票 #{id} 属于立场测验，无法重新开放。",
)
REOPEN_FORGOTTEN = Localized(
    "Poll #{id} keeps the ballot of someone who asked to be forgotten; reopened, they could"
    " vote twice. /poll clone {id} starts a new one.",
    "投票 #{id} 保留着一位已要求删除个人数据者的选票；若重新开放，此人可能投两次票。"
    "可以用 /poll clone {id} 发起新投票。",
)
CLONE_NOTHING = Localized(
    "Poll #{id} has fewer than 2 options left to copy.", "投票 #{id} 剩余可复制的选项不足 2 个。"
)

# --- who may create polls ------------------------------------------------------------------------
CREATE_MODERATORS_ONLY = Localized(
    "In this chat only moderators start polls (/settings polls).",
    "本群只有管理员可以发起投票（/settings polls）。",
)

# --- reminders and turnout -----------------------------------------------------------------------
REMINDER_TITLE = Localized("Poll #{id} closes soon", "投票 #{id} 即将结束")
REMINDER = Localized(
    "Closes {when}. Vote on the poll's message if you have not yet.",
    "将于 {when} 截止。还没投票的话，请在投票消息上投票。",
)
NONVOTERS_TITLE = Localized(
    "Voted in poll #{previous} but not yet in poll #{id}",
    "在投票 #{previous} 中投过票、但尚未在投票 #{id} 中投票",
)
NONVOTERS_NONE = Localized(
    "Everyone who voted in poll #{previous} has voted in poll #{id}.",
    "在投票 #{previous} 中投过票的人都已在投票 #{id} 中投票。",
)
NONVOTERS_MORE = Localized("… and {count} more.", "……还有 {count} 人。")
NONVOTERS_ANONYMOUS = Localized(
    "Poll #{id} is anonymous: nobody can be told who has not voted.",
    "投票 #{id} 是匿名投票：不能查看谁没有投票。",
)
NONVOTERS_PREVIOUS_ANONYMOUS = Localized(
    "The previous poll of this chat (#{previous}) was anonymous: Parley does not know who voted.",
    "本群的上一个投票（#{previous}）是匿名投票：Parley 不知道谁投了票。",
)
NONVOTERS_NO_PREVIOUS = Localized(
    "Poll #{id} is the first poll of its chat: there is no earlier poll to compare with.",
    "投票 #{id} 是本群的第一个投票，没有更早的投票可以对比。",
)
NONVOTERS_PLATFORM = Localized(
    "This platform does not let the bot know a chat's members, so Parley does not list them.",
    "此平台不让机器人知道群成员，因此 Parley 不列出名单。",
)
BALLOT_HOW_SINGLE = Localized(
    "Press the option you choose, then Submit.", "点击你要选的选项，然后提交。"
)
