"""The core's own user-facing messages."""

from bot.i18n import Localized

UNKNOWN_COMMAND = Localized(
    "I don't know the command /{name}. Type /help to see what I can do.",
    "我不认识命令 /{name}。输入 /help 查看可用命令。",
)
USAGE = Localized("Usage: {usage}", "用法：{usage}")
USAGE_HINT = Localized("Type /help {path} for details.", "输入 /help {path} 查看详细说明。")
UNKNOWN_SUBCOMMAND = Localized(
    "/{name} has no subcommand “{word}”.", "/{name} 没有“{word}”这个子命令。"
)
SUBCOMMANDS = Localized("Also: {forms}", "也可以用：{forms}")
BUTTON_EXPIRED = Localized(
    "This button has expired. Run the command again for a fresh one.",
    "这个按钮已失效。请重新运行命令获取新的按钮。",
)
INTERNAL_ERROR = Localized(
    "Sorry, something went wrong on my side (incident {incident}). Please try again;"
    " if it keeps happening, tell a moderator this code.",
    "抱歉，我这边出了点问题（事件编号 {incident}）。请重试；如果一直出现，请把这个编号告诉管理员。",
)
RATE_LIMITED = Localized(
    "You're going a bit fast. Please wait {seconds} s and try again.",
    "你操作得有点快了。请等待 {seconds} 秒后再试。",
)
MODERATORS_ONLY = Localized(
    "Only moderators can use {what}. Ask a moderator of this chat if you need it.",
    "只有管理员可以使用 {what}。如有需要，请联系本群管理员。",
)
MODERATORS_ONLY_BUTTON = Localized(
    "Only moderators can press this button.", "只有管理员可以按这个按钮。"
)
FEATURE_OFF = Localized(
    "The {label} feature is switched off in this chat. A moderator can switch it on with"
    " /settings feature {feature} on.",
    "本群已关闭“{label}”功能。管理员可以用 /settings feature {feature} on 重新开启。",
)
RESTARTING = Localized(
    "Parley is restarting. Please try again in a moment.", "Parley 正在重启，请稍后再试。"
)
STORAGE_UNAVAILABLE = Localized(
    "I can't reach my database right now (it is busy, full, read-only or damaged), so that was"
    " not saved. Please try again in a moment; if it keeps happening, tell the bot's operator.",
    "我现在无法访问数据库（繁忙、已满、只读或已损坏），所以刚才的操作没有保存。请稍后再试；"
    "如果一直出现，请告诉机器人的运营者。",
)
