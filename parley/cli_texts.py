"""What the `parley` command line tells the operator about processes, requests and backups."""

from __future__ import annotations

from bot.i18n import Localized, Plural

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

# `parley db copy`
COPY_BAD_URL = Localized(
    "{which} is not a database URL: {reason}.",
    "{which} 不是有效的数据库地址：{reason}。",
)
COPY_SAME_DATABASE = Localized(
    "The source and the target are the same database; give another target.",
    "源数据库和目标数据库是同一个；请换一个目标。",
)
COPY_IN_MEMORY = Localized(
    "An in-memory database (:memory:) cannot be copied from or to; give a file or postgresql://….",
    "内存数据库（:memory:）不能作为复制的来源或目标；请给出一个文件或 postgresql://…。",
)
COPY_SOURCE_MISSING = Localized(
    "There is no database file {path}; check the source path.",
    "数据库文件 {path} 不存在；请检查源路径。",
)
COPY_SOURCE_EMPTY = Localized(
    "The source {source} holds no Parley tables; is it the right database?",
    "源数据库 {source} 中没有 Parley 的表；是不是选错了数据库？",
)
COPY_SOURCE_OLDER = Localized(
    "The source {source} has schema version {version}, older than this Parley's ({latest})."
    " Start this version of Parley once on it (it migrates at start-up), stop it, then copy.",
    "源数据库 {source} 的结构版本是 {version}，比当前 Parley 的（{latest}）旧。"
    "请先用这个版本的 Parley 在它上面启动一次（启动时会自动迁移），停止后再复制。",
)
COPY_SOURCE_NEWER = Localized(
    "The source {source} has schema version {version}, newer than this Parley's ({latest});"
    " copy it with the Parley version that wrote it.",
    "源数据库 {source} 的结构版本是 {version}，比当前 Parley 的（{latest}）新；"
    "请用写入它的那个 Parley 版本来复制。",
)
COPY_VERSIONS_DIFFER = Localized(
    "After migrating, the target has schema version {target} and the source {source}; nothing"
    " was copied.",
    "迁移后目标数据库的结构版本是 {target}，源数据库是 {source}；没有复制任何内容。",
)
COPY_SCHEMAS_DIFFER = Localized(
    "The source and the target do not have the same tables (only in the source: {only_source};"
    " only in the target: {only_target}); nothing was copied.",
    "源数据库和目标数据库的表不一致（只在源中：{only_source}；只在目标中：{only_target}）；"
    "没有复制任何内容。",
)
COPY_TARGET_NOT_EMPTY = Plural(
    "The target {target} is not empty: table {table} has 1 row. Copy only into a new, empty"
    " database (its schema version alone may be there); nothing was changed.",
    "The target {target} is not empty: table {table} has {count} rows. Copy only into a new,"
    " empty database (its schema version alone may be there); nothing was changed.",
    "目标数据库 {target} 不是空的：表 {table} 中有 {count} 行。只能复制到一个新的空数据库"
    "（里面只可以有结构版本记录）；没有做任何改动。",
)
COPY_UNSUPPORTED_VALUE = Localized(
    "Table {table} holds a value of a kind the copy does not know ({kind}); nothing was copied.",
    "表 {table} 中有一个复制功能不认识的值类型（{kind}）；没有复制任何内容。",
)
COPY_MISMATCH = Localized(
    "Verification failed for table {table}: rows in the source {rows} (checksum {checksum}),"
    " in the target {target_rows} (checksum {target_checksum}). The copy was rolled back; the"
    " target is unchanged.",
    "表 {table} 校验失败：源中有 {rows} 行（校验和 {checksum}），目标中有 {target_rows} 行"
    "（校验和 {target_checksum}）。复制已回滚，目标数据库没有改变。",
)
COPY_CANNOT_OPEN = Localized(
    "Cannot open the {which} database {database}: {reason}.",
    "无法打开{which}数据库 {database}：{reason}。",
)
COPY_FAILED = Localized(
    "The copy stopped: {reason}. It was rolled back; the target is unchanged.",
    "复制中断：{reason}。已回滚，目标数据库没有改变。",
)
COPY_SOURCE_WORD = Localized("source", "源")
COPY_TARGET_WORD = Localized("target", "目标")
COPY_IN_USE = Localized(
    "The database {database} is in use by another Parley process: pid {pid} on {host}"
    " (`{command}`), running since {since}. Stop it before copying: what it writes after the copy"
    " would not be in the new database.",
    "数据库 {database} 正被另一个 Parley 进程使用：{host} 上的进程 {pid}（`{command}`），"
    "自 {since} 起运行。请先停止它再复制：复制之后它写入的内容不会出现在新数据库中。",
)
COPY_PROGRESS = Localized("{table}: {done}/{total} rows", "{table}：{done}/{total} 行")
COPY_SUMMARY = Plural(
    "Copied {tables} tables, 1 row, schema version {version}, from {source} to {target}.",
    "Copied {tables} tables, {count} rows, schema version {version}, from {source} to {target}.",
    "已复制 {tables} 张表、{count} 行（结构版本 {version}），从 {source} 到 {target}。",
)
FORGOTTEN = Plural(
    "Removed or anonymized 1 record of {platform}:{user_id}.",
    "Removed or anonymized {count} records of {platform}:{user_id}.",
    "已删除或匿名化 {platform}:{user_id} 的 {count} 条记录。",
)
COPY_TABLE_HEADER = Localized(
    "  table                         rows  sha256 (first 16 hex digits)",
    "  表                            行数  sha256（前 16 位十六进制）",
)
COPY_VERIFIED = Localized(
    "Row counts and checksums match in every table.",
    "所有表的行数和校验和都一致。",
)
COPY_NEXT_STEP = Localized(
    "Next: stop the bot on the old database and start it with PARLEY_DATABASE_URL={target}.",
    "下一步：停止使用旧数据库的机器人，然后用 PARLEY_DATABASE_URL={target} 启动它。",
)
COPY_KEEP_KEY_SETTING = Localized(
    "The poll key is not in the database: keep PARLEY_POLL_KEY set to the same value for the new"
    " URL, or the anonymous polls cannot be used there (start-up refuses a different key).",
    "投票密钥不在数据库中：在新地址上请保持 PARLEY_POLL_KEY 为同一个值，"
    "否则那里的匿名投票将无法使用（启动时会拒绝不同的密钥）。",
)
COPY_KEEP_KEY_FILE_SETTING = Localized(
    "The poll key is not in the database: keep PARLEY_POLL_KEY_FILE={key_file} for the new URL,"
    " or the anonymous polls cannot be used there (start-up refuses a different key).",
    "投票密钥不在数据库中：在新地址上请保持 PARLEY_POLL_KEY_FILE={key_file}，"
    "否则那里的匿名投票将无法使用（启动时会拒绝不同的密钥）。",
)
COPY_KEEP_KEY_FILE = Localized(
    "The poll key is not in the database: Parley on the new URL needs the same key file. Copy"
    " {source_key} to {target_key} (owner-only, 0600), or set PARLEY_POLL_KEY_FILE={source_key};"
    " start-up refuses a different key while a poll holds a salt.",
    "投票密钥不在数据库中：新地址上的 Parley 需要同一个密钥文件。请把 {source_key} 复制到"
    " {target_key}（仅所有者可读写，0600），或设置 PARLEY_POLL_KEY_FILE={source_key}；"
    "只要还有投票保留着盐值，启动时就会拒绝不同的密钥。",
)
