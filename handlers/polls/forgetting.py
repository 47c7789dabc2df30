"""Forget-me for polls: a person's anonymous ballots become unlinkable, and stay single.

Named ballots are handled by `PollRepository.forget_voter` (the voter key is the person, so no
key is needed). An anonymous ballot's key is a keyed hash of the person, so finding it needs
the master key: `forget_anonymous_ballots` moves it to a random key and, in an open poll, leaves
a has-voted marker, so that forgetting cannot be used to vote twice. A vote the marker refuses
gets `ALREADY_VOTED_BEFORE_FORGET`.
"""

from __future__ import annotations

from bot.config import Settings
from bot.i18n import Localized
from handlers.polls.anonymity import voter_key
from handlers.polls.master_key import load_master_key
from storage.polls import PollRepository

ALREADY_VOTED_BEFORE_FORGET = Localized(
    "You already voted in poll #{id} before asking Parley to forget you. That vote still"
    " counts, but it no longer carries your name, so it cannot be changed or cast again.",
    "你在要求 Parley 删除你的数据之前已经在投票 #{id} 中投过票。那一票仍然计入结果，"
    "但已不再与你关联，因此无法更改，也不能再投一次。",
)


async def forget_anonymous_ballots(
    settings: Settings, polls: PollRepository, platform: str, user_id: str
) -> int:
    """Unlink a person's ballots in every poll that still holds a salt; returns how many.

    The master key is read only when some poll holds a salt, and then it exists already (the
    poll feature made it when that poll was created).
    """
    if not await polls.holds_salts():
        return 0
    master_key = load_master_key(settings)
    return await polls.forget_anonymous_voter(
        lambda salt: voter_key(master_key, salt, platform, user_id)
    )
