"""Every user-facing string of common ground, in English and Simplified Chinese."""

from bot.i18n import Localized

GROUND = Localized(
    "Common ground: vote on short statements, one at a time, privately",
    "共识地图：逐条对简短观点表态（仅你可见）",
)
RESULTS = Localized(
    "Opinion groups and the statements every group agrees on",
    "观点群体，以及各群体都认同的观点",
)
ADD = Localized("Add a statement for everyone to vote on", "添加一条供大家表态的观点")
PROPOSE = Localized("Propose a statement (a moderator reviews it)", "提议一条观点（由管理员审核）")
QUEUE = Localized("Proposed statements waiting for review", "待审核的观点提议")
ANONYMOUS = Localized(
    "Make this chat's common-ground votes anonymous (before the first vote)",
    "将本群的共识表态设为匿名（须在第一次表态之前）",
)
TEXT = Localized("the statement", "观点内容")

CARD_TITLE = Localized("Common ground · {done} of {total}", "共识地图 · 第 {done}/{total} 条")
CARD_HINT = Localized(
    "Do you agree? Your vote is private; only totals are ever shown.",
    "你是否认同？你的表态不公开，只显示汇总结果。",
)
AGREE = Localized("Agree", "认同")
DISAGREE = Localized("Disagree", "不认同")
PASS = Localized("Pass / unsure", "跳过 / 不确定")
ALL_DONE = Localized(
    "You have voted on all {total} statements. /ground results shows where the groups stand.",
    "{total} 条观点你都已表态。输入 /ground results 查看各群体的立场。",
)
NOTHING_YET = Localized(
    "There are no statements yet. Moderators can add one with /ground add TEXT.",
    "还没有观点。管理员可以用 /ground add 观点内容 添加。",
)
VOTE_GONE = Localized("That statement is no longer open for votes.", "这条观点已不再接受表态。")
ADDED = Localized("Added statement {id}.", "已添加第 {id} 条观点。")
PROPOSED = Localized(
    "Thanks: statement {id} waits for a moderator's review.",
    "谢谢：第 {id} 条观点已提交，等待管理员审核。",
)
TOO_MANY_PENDING = Localized(
    "You have {count} proposals waiting for review; wait until a moderator has decided.",
    "你已有 {count} 条提议在等待审核，请等管理员处理后再提交。",
)
DUPLICATE = Localized(
    "This reads very much like statement {id}, which is already here.",
    "这条与已有的第 {id} 条观点几乎相同。",
)
QUEUE_TITLE = Localized("Proposed statements", "待审核的观点")
QUEUE_EMPTY = Localized("No proposals are waiting.", "没有待审核的提议。")
APPROVE = Localized("Approve {id}", "通过 {id}")
REJECT = Localized("Reject {id}", "拒绝 {id}")
DECIDED = Localized("Statement {id}: {decision}.", "第 {id} 条观点：{decision}。")
APPROVED_WORD = Localized("approved", "已通过")
REJECTED_WORD = Localized("rejected", "已拒绝")
NOT_PENDING = Localized(
    "Statement {id} is not waiting for review any more.", "第 {id} 条观点已不在待审核列表中。"
)
ANONYMOUS_ON = Localized(
    "From now on, this chat's common-ground votes are stored under a key nobody can trace back"
    " to a person.",
    "从现在起，本群的共识表态以无法追溯到个人的密钥保存。",
)
ANONYMOUS_ALREADY = Localized(
    "This chat's common-ground votes are already anonymous.", "本群的共识表态已经是匿名的。"
)
ANONYMOUS_TOO_LATE = Localized(
    "This chat already has common-ground votes; changing their privacy now would mix named and"
    " anonymous votes.",
    "本群已有共识表态；现在更改隐私设置会使实名与匿名表态混在一起。",
)
NO_SUCH_STATEMENT = Localized(
    "There is no statement {id} in this chat.", "本群没有第 {id} 条观点。"
)
NOT_YOURS = Localized("Only this chat's moderators can do that.", "只有本群的管理员可以这样做。")

RESULTS_TITLE = Localized("Common ground", "共识地图")
RESULTS_COUNTS = Localized(
    "{people} people voted on {statements} statements; {placed} voted on enough to be placed.",
    "{people} 人对 {statements} 条观点表了态，其中 {placed} 人表态足够多，已计入分组。",
)
TOO_FEW = Localized(
    "Not enough votes yet: results appear once at least {minimum} people have voted.",
    "表态人数还不够：至少 {minimum} 人表态后才显示结果。",
)
CONSENSUS_HEADING = Localized("What every group agrees with", "各群体都认同的观点")
DISSENSUS_HEADING = Localized("What every group rejects", "各群体都不认同的观点")
NO_CONSENSUS = Localized(
    "No statement has a majority in every group yet.", "目前还没有在每个群体中都获多数认同的观点。"
)
GROUP_HEADING = Localized("Group {letter} · {size} people", "群体 {letter} · {size} 人")
GROUP_AGREES = Localized(
    "{share}% agree (others {others}%): {text}", "{share}% 认同（其他人 {others}%）：{text}"
)
GROUP_DISAGREES = Localized(
    "{share}% disagree (others {others}%): {text}", "{share}% 不认同（其他人 {others}%）：{text}"
)
GROUP_NOTHING_APART = Localized(
    "No statement sets this group clearly apart yet.", "目前没有观点能明显区分这个群体。"
)
CONSENSUS_LINE = Localized("{text} ({share}% agree overall)", "{text}（总体 {share}% 认同）")
DISSENSUS_LINE = Localized("{text} ({share}% disagree overall)", "{text}（总体 {share}% 不认同）")
METHOD = Localized(
    "Groups are people who vote alike (at most five, none under {minimum} people shown);"
    " a group's statements differ from everyone else's votes at 90% significance. Nobody's group"
    " is ever shown.",
    "群体由表态相近的人组成（最多五个，不足 {minimum} 人的群体不显示）；"
    "群体的代表观点与其他人的表态差异在 90% 置信水平上显著。任何人的所属群体都不会公开。",
)
PICTURE = Localized(
    "Each dot is one person who voted (no names), placed by how they voted; colours are groups.",
    "每个点代表一位表态者（不显示姓名），位置由表态决定，颜色表示群体。",
)
POSTABLE = Localized("Common ground results", "共识地图结果")
POSTABLE_LABEL = Localized("common ground results", "共识地图结果")
