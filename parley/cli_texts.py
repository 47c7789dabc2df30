"""What the `parley` command line tells the operator about processes, requests and backups."""

from __future__ import annotations

from bot.i18n import Localized

IN_USE = Localized(
    "The database {database} is in use by another Parley process: pid {pid} on {host}"
    " (`{command}`), running since {since}. Only one Parley process may serve a database file:"
    " stop that one first, or set PARLEY_DB to another file.",
    "数据库 {database} 正被另一个 Parley 进程使用：{host} 上的进程 {pid}（`{command}`），"
    "自 {since} 起运行。一个数据库文件同一时间只能由一个 Parley 进程使用："
    "请先停止那个进程，或把 PARLEY_DB 设为另一个文件。",
)
IN_USE_STARTING = Localized(
    "The database {database} is in use by another Parley process that is still starting."
    " Only one Parley process may serve a database file: stop that one first, or set PARLEY_DB"
    " to another file.",
    "数据库 {database} 正被另一个仍在启动的 Parley 进程使用。一个数据库文件同一时间只能由一个"
    " Parley 进程使用：请先停止那个进程，或把 PARLEY_DB 设为另一个文件。",
)
ASKING_BOT = Localized(
    "Parley is running (pid {pid} on {host}): asking it to do this, so that it forgets"
    " {platform}:{user_id} everywhere, also in its memory.",
    "Parley 正在运行（{host} 上的进程 {pid}）：请它来执行，"
    "这样它会在所有地方（包括内存中）忘记 {platform}:{user_id}。",
)
BOT_SILENT = Localized(
    "The running Parley (pid {pid}) did not answer within {seconds} seconds. The request stays"
    " queued and runs when its scheduler next runs; see its log (event=operator_request_done).",
    "正在运行的 Parley（进程 {pid}）在 {seconds} 秒内没有回应。请求仍在队列中，"
    "将在它的调度器下次运行时执行；请查看它的日志（event=operator_request_done）。",
)
BOT_FAILED = Localized(
    "The running Parley could not do it: {reason}.",
    "正在运行的 Parley 未能完成：{reason}。",
)
KEEP_KEY_FILE = Localized(
    "Keep the poll key file {key_file} together with this backup. The backup does not contain"
    " it, and without it the anonymous polls in the backup cannot be used.",
    "请把投票密钥文件 {key_file} 与这份备份放在一起保存。备份中不包含该文件；"
    "没有它，备份中的匿名投票将无法使用。",
)
KEEP_KEY_SETTING = Localized(
    "The poll key is set in PARLEY_POLL_KEY: keep that value together with this backup. The"
    " backup does not contain it, and without it the anonymous polls in the backup cannot be"
    " used.",
    "投票密钥设置在 PARLEY_POLL_KEY 中：请把这个值与这份备份放在一起保存。"
    "备份中不包含它；没有它，备份中的匿名投票将无法使用。",
)
BACKUP_POSTGRES = Localized(
    "`parley db backup` writes a copy of a SQLite database file; this Parley uses PostgreSQL"
    " ({database}). Back it up with the server's own tool, e.g. `pg_dump --format=custom"
    " --file=parley.dump DATABASE`, or copy it into a SQLite file with `parley db copy`.",
    "`parley db backup` 用于复制 SQLite 数据库文件；当前 Parley 使用的是 PostgreSQL"
    "（{database}）。请用服务器自带的工具备份，例如 `pg_dump --format=custom"
    " --file=parley.dump 数据库名`，或用 `parley db copy` 把它复制成一个 SQLite 文件。",
)
