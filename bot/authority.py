"""Who may do what to which object: one decision in the core, for every command and button.

Every stored object a command or button names by id (a poll, an argument, an article…) has a
home chat, where it was made, and may be shown in more chats, but only by an action its home
chat allowed. A feature describes each kind of object it keeps with a `Custodian`; commands
and actions declare a `Guard` per parameter that names an object. Before any handler runs the
router asks `Authority.authorize`, which grants or refuses:

- an object that is neither at home nor shown in the asking chat answers exactly like one that
  does not exist (ids of other chats reveal nothing);
- `Access.SEE`: shown here is enough;
- `Access.MANAGE`: its creator, or a moderator of its home chat speaking there;
- `Access.MODERATE`: a moderator of its home chat speaking there, nobody else.

A private chat with the bot is its user's own space: the adapters mark them as moderating it,
so they moderate what they made there and nothing else. A press must also come from a message
that shows the object when its guard says `on_its_message` (callback data can be forged; the
pressed message cannot be chosen freely).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.errors import UserError
from bot.i18n import Localized
from bot.identity import Actor, ChatRef, MessageRef, ModeratorLookup


class Access(StrEnum):
    """How much an action needs over the object it names."""

    SEE = "see"
    MANAGE = "manage"
    MODERATE = "moderate"


class Right(StrEnum):
    """Why an action was allowed."""

    VIEWER = "viewer"
    CREATOR = "creator"
    HOME_MODERATOR = "home_moderator"


@dataclass(frozen=True, slots=True)
class Guard:
    """Parameter `param` names an object of `kind`; the action needs `access` over it."""

    param: str
    kind: str
    access: Access = Access.SEE
    on_its_message: bool = False
    """For buttons: the pressed message must be one that shows the object."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an object lives, as seen from one chat."""

    home: ChatRef
    creator: str | None
    """The creator's actor key (`platform:user_id`), None when nobody may manage it as creator."""
    shown_here: bool
    """Whether the object is shown in the asking chat (its home counts)."""


@dataclass(frozen=True, slots=True)
class Grant:
    """An allowed action on one object: the object's home chat and the right that allowed it."""

    home: ChatRef
    right: Right


class Custodian(Protocol):
    """What a feature tells the core about one kind of object it keeps."""

    kind: str
    missing: Localized
    """The answer for an id that does not exist (or is not shown here); takes `{id}`."""

    def forbidden(self, access: Access) -> Localized:
        """The answer when the object is shown here but the actor lacks `access`; takes `{id}`."""
        ...

    async def place(self, object_id: int | str, chat: ChatRef) -> Placement | None:
        """Where the object lives and whether `chat` shows it; None when there is no such object."""
        ...

    async def shows_on(self, object_id: int | str, message: MessageRef) -> bool:
        """Whether `message` is one the bot posted to show the object."""
        ...


class RefusedError(UserError):
    """The actor may not act on the object (or it does not exist as far as they can tell)."""


class AuthorityError(LookupError):
    """A guard names a kind no feature registered (a bug, found at start-up)."""


def same_chat(one: ChatRef, other: ChatRef) -> bool:
    """Whether two references name the same chat (threads of a chat are that chat)."""
    return (one.platform, one.chat_id) == (other.platform, other.chat_id)


class Authority:
    """The custodians of every kind of object, and the one decision over them."""

    def __init__(self) -> None:
        self._custodians: dict[str, Custodian] = {}

    def register(self, custodian: Custodian) -> None:
        """Make `custodian` answer for its kind of object."""
        if custodian.kind in self._custodians:
            raise AuthorityError(f"two custodians for {custodian.kind!r}")
        self._custodians[custodian.kind] = custodian

    def custodian(self, kind: str) -> Custodian:
        """The custodian of `kind`."""
        try:
            return self._custodians[kind]
        except KeyError:
            raise AuthorityError(f"no custodian for {kind!r}") from None

    async def authorize(
        self,
        guard: Guard,
        object_id: int | str,
        *,
        actor: Actor,
        chat: ChatRef,
        moderator: ModeratorLookup,
        pressed: MessageRef | None = None,
    ) -> Grant:
        """Grant `guard.access` over the object to `actor` in `chat`, or raise `RefusedError`.

        `moderator` (whether `actor` moderates `chat`) is awaited only when the answer matters:
        the object's home is here and nothing else grants the access.
        """
        custodian = self.custodian(guard.kind)
        placement = await custodian.place(object_id, chat)
        visible = placement is not None and (
            placement.shown_here or same_chat(placement.home, chat)
        )
        if visible and guard.on_its_message:
            visible = pressed is not None and await custodian.shows_on(object_id, pressed)
        if placement is None or not visible:
            raise RefusedError(custodian.missing, id=object_id)
        right = decide(placement, guard.access, actor, chat, is_moderator=False)
        if right is None and same_chat(placement.home, chat) and await moderator():
            right = decide(placement, guard.access, actor, chat, is_moderator=True)
        if right is None:
            raise RefusedError(custodian.forbidden(guard.access), id=object_id)
        return Grant(placement.home, right)


def decide(
    placement: Placement, access: Access, actor: Actor, chat: ChatRef, *, is_moderator: bool
) -> Right | None:
    """The right by which `actor` in `chat` may act on a visible object; None if it may not."""
    moderates_home = is_moderator and same_chat(placement.home, chat)
    match access:
        case Access.SEE:
            return Right.VIEWER
        case Access.MANAGE if placement.creator == actor.key:
            return Right.CREATOR
        case Access.MANAGE | Access.MODERATE if moderates_home:
            return Right.HOME_MODERATOR
    return None
