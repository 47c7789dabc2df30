"""The moderation feature's user-facing strings, in English and Simplified Chinese."""

from bot.i18n import Localized

UNKNOWN_ITEM = Localized(
    "There is nothing called “{item}” to post. Choose one of: {items}.",
    "没有可发布的“{item}”。可选：{items}。",
)
UNKNOWN_TARGET = Localized(
    "I can't find the chat “{target}”. {how}",
    "找不到聊天“{target}”。{how}",
)
TARGET_HOW = {
    "discord": Localized("Mention a channel, like #news.", "请提及一个频道，例如 #news。"),
    "telegram": Localized(
        "Use the @username or numeric id of a group or channel where I am an administrator.",
        "请使用我担任管理员的群组或频道的 @用户名 或数字 id。",
    ),
    "console": Localized("Use #name for another console chat.", "用 #名称 指定另一个控制台聊天。"),
}
CANNOT_POST = Localized("I can't post in {target}: {reason}", "我无法在 {target} 发布：{reason}")
POSTED = Localized("Posted {item} to {target}.", "已将 {item} 发布到 {target}。")
POSTED_PINNED = Localized(
    "Posted {item} to {target} and pinned it.", "已将 {item} 发布到 {target} 并置顶。"
)
PIN_FAILED = Localized(
    "Posted {item} to {target}, but I could not pin it (do I have the permission?).",
    "已将 {item} 发布到 {target}，但无法置顶（我有置顶权限吗？）。",
)
PIN_REFUSED = Localized(
    "Posted {item} to {target}, but I could not pin it: {reason}",
    "已将 {item} 发布到 {target}，但无法置顶：{reason}",
)
HERE = Localized("this chat", "本群")

SCHEDULED = Localized(
    "Scheduled #{id}: {item} → {target}, {when}.", "已安排 #{id}：{item} → {target}，{when}。"
)
SCHEDULE_FIRST = Localized("first at {first} ({zone})", "首次于 {first}（{zone}）")
SCHEDULE_ONCE = Localized("at {first} ({zone})", "于 {first}（{zone}）")
SCHEDULE_EMPTY = Localized(
    "Nothing is scheduled in this chat. Add something with /schedule ITEM WHEN.",
    "本群没有已安排的发布。用 /schedule 项目 时间 添加。",
)
SCHEDULE_LIST_TITLE = Localized("Scheduled posts", "已安排的发布")
SCHEDULE_LINE = Localized(
    "#{id} {item} → {target} · next {next}{repeat} · by {by}",
    "#{id} {item} → {target} · 下次 {next}{repeat} · 由 {by} 安排",
)
SCHEDULE_REPEAT = Localized(" · repeats {rule}", " · 重复：{rule}")
SCHEDULE_CANCELLED = Localized("Cancelled scheduled post #{id}.", "已取消安排的发布 #{id}。")
SCHEDULE_NOT_FOUND = Localized(
    "There is no pending scheduled post #{id} in this chat. See /schedule list.",
    "本群没有待执行的发布 #{id}。请查看 /schedule list。",
)
SCHEDULE_RUNNING = Localized(
    "Scheduled post #{id} is being posted right now; cancel it again in a moment.",
    "安排的发布 #{id} 正在发布中，请稍后再取消。",
)
SCHEDULE_REFUSED = Localized(
    "Scheduled post #{id} ({item} → {target}) was stopped: {reason} Schedule it again once that"
    " is sorted out.",
    "安排的发布 #{id}（{item} → {target}）已停止：{reason}问题解决后请重新安排。",
)
SCHEDULE_FAILED = Localized(
    "Scheduled post #{id} ({item} → {target}) failed {attempts} times and was stopped: {reason}."
    " Check my permissions there, then schedule it again.",
    "安排的发布 #{id}（{item} → {target}）失败 {attempts} 次，已停止：{reason}。"
    "请检查我在那里的权限，然后重新安排。",
)

SETTINGS_TITLE = Localized("Settings of this chat", "本群设置")
SETTING_LANGUAGE = Localized("Language", "语言")
SETTING_TIMEZONE = Localized("Time zone", "时区")
SETTING_MODROLE = Localized("Moderator role", "管理员角色")
SETTING_RATE = Localized("Rate limit", "频率限制")
SETTING_FEATURES = Localized("Features", "功能")
AUTO_LANGUAGE = Localized("automatic (each person's app language)", "自动（跟随客户端语言）")
NOT_SET = Localized("not set", "未设置")
RATE_VALUE = Localized("{n} commands per minute per member", "每位成员每分钟 {n} 条命令")
RATE_DEFAULT = Localized("default ({n} per minute)", "默认（每分钟 {n} 条）")
FEATURE_ON = Localized("on", "开")
FEATURE_OFF = Localized("off", "关")
SETTINGS_HINT = Localized(
    "Change with /settings language|timezone|modrole|ratelimit|feature …",
    "用 /settings language|timezone|modrole|ratelimit|feature … 修改",
)
LANGUAGE_SET = Localized("This chat now uses English.", "本群现在使用简体中文。")
LANGUAGE_CLEARED = Localized(
    "This chat's language follows each person's app language again.",
    "本群的语言已恢复为跟随每个人的客户端语言。",
)
TIMEZONE_SET = Localized(
    "Time zone set to {zone} (it is {local} there now).",
    "时区已设为 {zone}（当地现在是 {local}）。",
)
MODROLE_SET = Localized(
    "Members with that role now count as moderators here.", "拥有该角色的成员现在在此算作管理员。"
)
MODROLE_CLEARED = Localized("The moderator role is cleared.", "已清除管理员角色。")
MODROLE_BAD = Localized(
    "“{role}” is not a role. Mention it (@Role) or give its numeric id; `none` clears it.",
    "“{role}”不是角色。请提及它（@角色）或给出数字 id；`none` 表示清除。",
)
MODROLE_UNSUPPORTED = Localized(
    "Moderator roles exist on Discord only; on Telegram the chat's administrators are moderators.",
    "管理员角色仅适用于 Discord；在 Telegram 上，群管理员即为管理员。",
)
RATE_SET = Localized(
    "Members may now run {n} commands per minute here.", "成员现在在此每分钟可运行 {n} 条命令。"
)
POLL_CREATORS_MODERATORS = Localized("moderators only", "仅管理员")
POLL_CREATORS_EVERYONE = Localized("everyone", "所有人")
SETTING_POLL_CREATORS = Localized("Who starts polls", "谁可以发起投票")
POLL_CREATORS_SET = Localized(
    "From now on, {who} may start polls in this chat.", "从现在起，本群{who}可以发起投票。"
)
RATE_CLEARED = Localized("The rate limit is back to the default.", "频率限制已恢复默认。")
FEATURE_SET = Localized("{feature} is now {state} in this chat.", "{feature} 在本群现在为{state}。")
UNKNOWN_FEATURE = Localized(
    "There is no feature “{feature}”. Choose one of: {features}.",
    "没有功能“{feature}”。可选：{features}。",
)

AUDIT_TITLE = Localized("Recent moderator actions", "最近的管理操作")
AUDIT_EMPTY = Localized("No moderator actions recorded here yet.", "这里还没有管理操作记录。")
AUDIT_LINE = Localized(
    "{at} · {who} · {action} {detail}{failed}", "{at} · {who} · {action} {detail}{failed}"
)
AUDIT_FAILED = Localized(" (failed)", "（失败）")
AUDIT_FORGOTTEN_MEMBER = Localized("a forgotten member", "已被遗忘的成员")

FORGET_PROMPT = Localized(
    "This removes what Parley stores about you in every chat: your arguments and upvotes, the"
    " summaries you edited and the articles you added as text, your name and id on anything you"
    " posted or scheduled (your scheduled posts stop), and everything kept for your private chat"
    " with Parley. Your votes in open named polls are withdrawn, so you may vote again; in closed"
    " polls and anonymous polls they stay counted but no longer point to you (an open anonymous"
    " poll remembers only that you voted, until it closes). Moderator actions stay in the audit"
    " log as done by a forgotten member. Press the button to confirm.",
    "这将删除 Parley 在所有聊天中保存的关于你的数据：你的论点和点赞、"
    "你编辑的摘要和以文本添加的文章、"
    "你发布或安排的内容上的名字和 ID（你安排的发布会停止），以及为你与 Parley 的私聊保存的一切。"
    "你在进行中的实名投票里的票会被撤回，你可以重新投票；在已结束的投票和匿名投票中，"
    "你的票仍然计入结果，但不再与你关联（进行中的匿名投票只记得你投过票，直到投票结束）。"
    "管理操作仍保留在审计日志中，记为“已被遗忘的成员”。按下按钮确认。",
)
FORGET_BUTTON = Localized("Forget me", "删除我的数据")
FORGOTTEN = Localized(
    "Done: {count} records about you were removed or anonymized.",
    "完成：已删除或匿名化 {count} 条关于你的记录。",
)
