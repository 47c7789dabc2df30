"""The moderation feature's user-facing strings, in English and Simplified Chinese."""

from bot.i18n import Localized

UNKNOWN_ITEM = Localized(
    "There is nothing called “{item}” to post. Choose one of: {items}.",
    "没有可发布的“{item}”。可选：{items}。",
)
NO_ITEM = Localized(
    "What should I post? Name one of: {items}.", "要发布什么？请写明其中之一：{items}。"
)
NO_OPTIONS = Localized(
    "The {item} takes no options, and “{word}” is not a chat I know.",
    "{item}不带选项，“{word}”也不是我认识的聊天。",
)
TWO_TARGETS = Localized(
    "Name one chat to post in: both “{first}” and “{second}” are chats.",
    "只能指定一个发布的聊天：“{first}”和“{second}”都是聊天。",
)
FEATURE_OFF_THERE = Localized(
    "The {item} is not posted in {target}: its feature is switched off there (/settings feature).",
    "{target}已关闭该功能，不能发布{item}（见 /settings 功能）。",
)
CANNOT_POST = Localized("I can't post in {target}: {reason}", "我无法在{target}发布：{reason}")
POSTED = Localized("Posted the {item} to {target}.", "已将{item}发布到{target}。")
POSTED_PINNED = Localized(
    "Posted the {item} to {target} and pinned it.", "已将{item}发布到{target}并置顶。"
)
PIN_FAILED = Localized(
    "Posted the {item} to {target}, but could not pin it: check that I may pin messages there.",
    "已将{item}发布到{target}，但置顶失败，请检查我在那里是否有置顶消息的权限。",
)
PIN_REFUSED = Localized(
    "Posted the {item} to {target}, but could not pin it: {reason}",
    "已将{item}发布到{target}，但置顶失败：{reason}",
)
HERE = Localized("this chat", "这里")
PINNED = Localized("pinned", "置顶")

SCHEDULED = Localized(
    "Scheduled #{id}: {item} → {target}{details}, {when} ({zone}).",
    "已安排 #{id}：{item} → {target}{details}，{when}（{zone}）。",
)
SCHEDULE_REPEATING = Localized("{rule}, first at {first}", "{rule}，首次于 {first}")
SCHEDULE_ONCE = Localized("at {first}", "于 {first}")
SCHEDULE_EMPTY = Localized(
    "Nothing is scheduled in this chat. Add something with /schedule ITEM WHEN.",
    "这里没有已安排的发布。可用 /schedule 加上内容和时间来添加。",
)
SCHEDULE_LIST_TITLE = Localized(
    "Scheduled posts (times in {zone})", "已安排的发布（时间为 {zone}）"
)
SCHEDULE_LINE = Localized(
    "#{id} {item} → {target}{details} · next {next}{repeat} · by {by}",
    "#{id} {item} → {target}{details} · 下次 {next}{repeat} · 由 {by} 安排",
)
SCHEDULE_REPEAT = Localized(" · repeats {rule}", " · 重复：{rule}")
IN_ZONE = Localized("{rule} ({zone})", "{rule}（{zone}）")
SCHEDULE_CANCELLED = Localized("Cancelled scheduled post #{id}.", "已取消安排的发布 #{id}。")
SCHEDULE_NOT_FOUND = Localized(
    "There is no pending scheduled post #{id} in this chat. See /schedule list.",
    "这里没有待发布的 #{id}。请查看 /schedule list。",
)
SCHEDULE_ALREADY_CANCELLED = Localized(
    "Scheduled post #{id} is already cancelled; nothing more to do.",
    "安排的发布 #{id} 已经取消，无需再次取消。",
)
SCHEDULE_ALREADY_POSTED = Localized(
    "Scheduled post #{id} was already posted; there is nothing left to cancel.",
    "安排的发布 #{id} 已经发布，没有可取消的了。",
)
SCHEDULE_ALREADY_STOPPED = Localized(
    "Scheduled post #{id} already stopped after a failure; there is nothing left to cancel.",
    "安排的发布 #{id} 因出错已经停止，没有可取消的了。",
)
SCHEDULE_RUNNING = Localized(
    "Scheduled post #{id} is being posted right now; cancel it again in a moment.",
    "安排的发布 #{id} 正在发布中，请稍后再取消。",
)
SCHEDULE_REFUSED = Localized(
    "Scheduled post #{id} ({item} → {target}) was stopped: {reason} Schedule it again once"
    " that is sorted out.",
    "安排的发布 #{id}（{item} → {target}）已停止：{reason}问题解决后请重新安排。",
)
SCHEDULE_FAILED = Localized(
    "Scheduled post #{id} ({item} → {target}) failed {attempts} times and was stopped:"
    " {reason}. Check my permissions there, then schedule it again.",
    "安排的发布 #{id}（{item} → {target}）失败 {attempts} 次，已停止，原因：{reason}。"
    "请检查我在那里的权限，然后重新安排。",
)
UNREACHABLE = Localized("I could not reach the platform", "无法连接到该平台")
UNEXPECTED = Localized(
    "something went wrong on my side (the log has the details)", "我这边出了问题（详情见日志）"
)
SCHEDULE_STOPPED_PUBLICLY = Localized(
    "Scheduled post #{id} was stopped. {name}, I can't message you privately: start a private"
    " chat with me, and I can tell you why next time.",
    "安排的发布 #{id} 已停止。{name}，我无法私信你：请先与我开始私聊，下次我就能告诉你原因。",
)

SETTINGS_TITLE = Localized("Settings of this chat", "这里的设置")
SETTING_LANGUAGE = Localized("Language", "语言")
SETTING_TIMEZONE = Localized("Time zone", "时区")
SETTING_MODROLE = Localized("Moderator role", "管理员角色")
SETTING_RATE = Localized("Rate limit", "频率限制")
SETTING_FEATURES = Localized("Features", "功能")
LANGUAGE_NAMES = {
    "en": Localized("English", "英文"),
    "zh": Localized("Chinese (Simplified)", "简体中文"),
}
AUTO_LANGUAGE = Localized(
    "automatic (each person's app language)", "自动（跟随每个人的客户端语言）"
)
NOT_SET = Localized("not set", "未设置")
ZONE_NOT_SET = Localized("UTC (not set)", "UTC（未设置）")
MODROLE_ELSEWHERE = Localized(
    "Discord only (here, the chat's administrators are moderators)",
    "仅适用于 Discord（在这里，聊天的管理员就是 Parley 的管理员）",
)
RATE_VALUE = Localized("{n} commands per minute per member", "每位成员每分钟最多 {n} 条命令")
RATE_DEFAULT = Localized(
    "the default, {n} commands per minute per member", "默认（每位成员每分钟最多 {n} 条命令）"
)
FEATURE_STATE = Localized("{feature} {state}", "{feature}{state}")
FEATURE_ON = Localized("on", "已开启")
FEATURE_OFF = Localized("off", "已关闭")
SETTINGS_HINT = Localized(
    "Change one with /settings language, timezone, modrole, ratelimit, polls, feature or modlog.",
    "修改设置：/settings 语言、时区、管理员角色、频率限制、投票、功能 或 管理日志。",
)
LANGUAGE_SET = Localized("This chat now uses English.", "这里现在使用简体中文。")
LANGUAGE_CLEARED = Localized(
    "This chat's language follows each person's app language again.",
    "这里的语言已恢复为跟随每个人的客户端语言。",
)
TIMEZONE_SET = Localized(
    "Time zone set to {zone} (it is {local} there now).",
    "时区已设为 {zone}（当地现在是 {local}）。",
)
MODROLE_SET = Localized(
    "Members with that role now count as moderators here.",
    "拥有该角色的成员现在可以在这里行使管理员权限。",
)
MODROLE_CLEARED = Localized("The moderator role is cleared.", "已清除管理员角色。")
MODROLE_BAD = Localized(
    "“{role}” is not a role. Mention it (@Role) or give its numeric id; `none` clears it.",
    "“{role}”不是角色。请提及它（@角色）或给出数字 ID；写“无”可清除。",
)
MODROLE_UNSUPPORTED = Localized(
    "The moderator role can be set on Discord only; here, the chat's administrators are"
    " moderators.",
    "管理员角色只能在 Discord 上设置；在这里，聊天的管理员自动拥有 Parley 的管理权限。",
)
RATE_SET = Localized(
    "Members may now run {n} commands per minute here.",
    "现在这里每位成员每分钟最多可使用 {n} 条命令。",
)
RATE_CLEARED = Localized(
    "The rate limit is back to the default ({n} commands per minute per member).",
    "频率限制已恢复默认（每位成员每分钟最多 {n} 条命令）。",
)
RATE_NOT_OFF = Localized(
    "The rate limit cannot be switched off: it keeps one person from flooding the chat. Choose"
    " 1–120 commands per minute, or `default` ({n}).",
    "频率限制不能关闭：它防止个别人刷屏。请选择每分钟 1–120 条命令，或写“默认”（{n} 条）。",
)
RATE_BAD = Localized(
    "“{value}” is not a rate: give 1–120 commands per minute, or `default`.",
    "“{value}”不是有效的频率：请给出每分钟 1–120 条命令，或写“默认”。",
)
FEATURE_SWITCHED_ON = Localized(
    "The {feature} feature is now on in this chat.", "这里已开启“{feature}”功能。"
)
FEATURE_SWITCHED_OFF = Localized(
    "The {feature} feature is now off in this chat.", "这里已关闭“{feature}”功能。"
)
POLL_CREATORS_MODERATORS = Localized("moderators only", "仅管理员")
POLL_CREATORS_EVERYONE = Localized("everyone", "所有人")
SETTING_POLL_CREATORS = Localized("Who starts polls", "谁可以发起投票")
POLL_CREATORS_SET = Localized(
    "From now on, {who} may start polls in this chat.", "从现在起，这里{who}可以发起投票。"
)
UNKNOWN_FEATURE = Localized(
    "There is no feature “{feature}”. Choose one of: {features}.",
    "没有“{feature}”这个功能。可选：{features}。",
)

AUDIT_TITLE = Localized(
    "Recent moderator actions (times in {zone})", "最近的管理操作（时间为 {zone}）"
)
AUDIT_EMPTY = Localized("No moderator actions recorded here yet.", "这里还没有管理操作记录。")
AUDIT_LINE = Localized(
    "{at} · {who} · {action}{detail}{failed}", "{at} · {who} · {action}{detail}{failed}"
)
AUDIT_FAILED = Localized(" (failed)", "（失败）")
AUDIT_FORGOTTEN_MEMBER = Localized("a forgotten member", "已被遗忘的成员")
AUDIT_BUTTON = Localized("pressed a {label} button", "按下了按钮（{label}）")

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
