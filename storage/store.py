"""The storage a handler sees: the database and one repository per aggregate."""

from __future__ import annotations

from storage.arguments import ArgumentRepository
from storage.articles import ArticleRepository
from storage.audit import AuditRepository
from storage.chat_moves import ChatMoveRepository
from storage.chat_settings import ChatSettingsRepository
from storage.database import Database
from storage.ground import GroundRepository
from storage.inbox import InboxRepository
from storage.jobs import JobRepository
from storage.modlog import ModLogRepository
from storage.poll_key import PollKeyRepository
from storage.polls import PollRepository
from storage.posts import PostRepository
from storage.seal_key import SealKeyRepository
from storage.written_summaries import WrittenSummaryRepository


class Storage:
    """All repositories over one database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.chat_settings = ChatSettingsRepository(database)
        self.audit = AuditRepository(database)
        self.jobs = JobRepository(database)
        self.arguments = ArgumentRepository(database)
        self.posts = PostRepository(database)
        self.polls = PollRepository(database)
        self.poll_key = PollKeyRepository(database)
        self.articles = ArticleRepository(database)
        self.seal_key = SealKeyRepository(database)
        self.inbox = InboxRepository(database)
        self.chat_moves = ChatMoveRepository(database)
        self.modlog = ModLogRepository(database)
        self.ground = GroundRepository(database)
        self.written_summaries = WrittenSummaryRepository(database)
