"""The console's own notes (not bot messages), in English and Simplified Chinese."""

from __future__ import annotations

from bot.i18n import Localized

WELCOME = Localized(
    "Parley console. You are {name} (moderator) in the group chat #console. Type /help to begin;"
    " /as NAME [mod] speaks as someone else, /in dm or /in #name moves to another chat,"
    " /press N or LABEL presses a button, /attach PATH attaches a file, /quit leaves."
    " /in dm is the speaker's private chat with the bot, which the speaker moderates;"
    " /as there moves you into the new speaker's private chat.",
    "Parley 控制台。你是 {name}（管理员），在群聊 #console。输入 /help 开始；"
    "/as 名字 [mod] 切换发言人，/in dm 或 /in #群名 换到别的聊天，/press 编号或按钮文字 按按钮，"
    "/attach 路径 附加文件，/quit 退出。/in dm 是发言人与机器人的私聊，由发言人自己管理；"
    "在私聊里用 /as 会进入新发言人的私聊。",
)
CONSOLE_HELP = Localized(
    "Console only:\n"
    "/as NAME: speak as NAME. /as NAME mod: NAME also moderates this group chat (remembered for"
    " this chat only). {operator} moderates every group chat.\n"
    "/in dm: the private chat between the speaker and the bot; the speaker moderates it, and"
    " /as there moves you into the new speaker's private chat.\n"
    "/in #name: another group chat. /in or /in #console: back to #console.\n"
    "/press N or /press LABEL: press a button on the latest message with buttons that the speaker"
    " sees in this chat; a poll option by its text works too (/press Yes).\n"
    "/attach PATH: attach a file (up to {limit} bytes) to your next command. /quit: leave.",
    "仅限控制台：\n"
    "/as 名字：以该名字发言。"
    "/as 名字 mod：该发言人同时成为本群聊的管理员（只对本群聊有效，会被记住）。"
    "{operator} 是所有群聊的管理员。\n"
    "/in dm：发言人与机器人的私聊，由发言人自己管理；在私聊里用 /as 会进入新发言人的私聊。\n"
    "/in #群名：换到另一个群聊。/in 或 /in #console：回到 #console。\n"
    "/press 编号 或 /press 按钮文字：按下本聊天中发言人能看到的最新一条带按钮消息上的按钮；"
    "投票选项也可以直接写文字（/press 算）。\n"
    "/attach 路径：把文件（最多 {limit} 字节）附加到你的下一条命令。/quit：退出。",
)
PRIVATE_PLACE = Localized("dm", "私聊")
PROMPT_MODERATOR = Localized(" (mod)", "（管理员）")
MODERATOR = Localized(" (moderator)", "（管理员）")
MEMBER = Localized(" (member)", "（成员）")
NOW_SPEAKING = Localized(
    "Now speaking as {name}{role} in #{chat}.", "现在以 {name}{role} 的身份在 #{chat} 发言。"
)
NOW_IN_GROUP = Localized(
    "Now in the group chat #{chat}, speaking as {name}{role}.",
    "现在在群聊 #{chat}，以 {name}{role} 的身份发言。",
)
NOW_IN_PRIVATE = Localized(
    "Now in the private chat between {name} and the bot; {name} moderates it.",
    "现在在 {name} 与机器人的私聊中；{name} 是这个私聊的管理员。",
)
MOD_ONLY_IN_GROUPS = Localized(
    "“mod” applies to group chats only: a private chat is always moderated by its speaker.",
    "“mod” 只对群聊有效：私聊总是由发言人自己管理。",
)
AS_USAGE = Localized("Usage: /as NAME or /as NAME mod", "用法：/as 名字 或 /as 名字 mod")
IN_USAGE = Localized(
    "“{wanted}” is not a console chat. Use /in dm, /in #name (letters, digits, - and _, up to"
    " {limit}; names starting with dm- are private chats, reached with /in dm) or /in alone"
    " for #console.",
    "“{wanted}” 不是控制台里的聊天。请用 /in dm、/in #群名（字母、数字、- 和 _，最多 {limit} 个；"
    "以 dm- 开头的名字属于私聊，请用 /in dm 进入），或只输入 /in 回到 #console。",
)
NO_BUTTONS = Localized(
    "No message with buttons that {name} can see in this chat yet.",
    "这个聊天里还没有 {name} 能看到的带按钮的消息。",
)
NO_SUCH_BUTTON = Localized(
    "No button “{wanted}” on message #{message}. Choose 1–{count} or a label.",
    "消息 #{message} 上没有按钮“{wanted}”。请选择 1–{count} 或按钮文字。",
)
PRESS_USAGE = Localized("Usage: /press N or /press LABEL", "用法：/press 编号 或 /press 按钮文字")
NOT_A_COMMAND = Localized(
    "Commands start with /. Type /help to see them.", "命令以 / 开头。输入 /help 查看命令。"
)
ATTACHED = Localized(
    "Attached {name} ({size} bytes) to your next command.",
    "已将 {name}（{size} 字节）附加到你的下一条命令。",
)
ATTACH_FAILED = Localized("Cannot attach {path}: {reason}.", "无法附加 {path}：{reason}。")
ATTACH_USAGE = Localized("Usage: /attach PATH", "用法：/attach 路径")
TOO_MANY_FILES = Localized(
    "{count} files are already waiting for your next command; send it first.",
    "已有 {count} 个文件在等待你的下一条命令；请先发送命令。",
)
SAVE_FAILED = Localized(
    "Could not save {name} in {folder} ({code}); set PARLEY_CONSOLE_FILES to a writable folder.",
    "无法把 {name} 保存到 {folder}（{code}）；请把 PARLEY_CONSOLE_FILES 设为可写的文件夹。",
)
CONSOLE_FAILED = Localized(
    "Something went wrong in the console (incident {incident}); it keeps running. The details"
    " are in the log.",
    "控制台出了点问题（事件编号 {incident}），它会继续运行。详细信息已写入日志。",
)
ONLY_SEES = Localized(" (only {name} sees this)", "（仅 {name} 可见）")
EDITED = Localized("✎ edited", "✎ 已编辑")
