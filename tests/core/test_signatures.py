"""Handlers are checked against their declarations when they are registered."""

import builtins
from datetime import timedelta
from typing import Literal

import pytest

from bot.commands import CommandSpec, Registry, RegistryError
from bot.context import Context
from bot.i18n import Localized
from bot.params import ChoiceParam, DurationParam, IntParam
from bot.reply import Reply

_TEXT = Localized("text", "文本")
_POLL_ID = IntParam(name="poll_id", description=_TEXT, min_value=1)
_VIEW = ChoiceParam(name="view", description=_TEXT, choices=("chart",), required=False)
_COUNT = IntParam(name="count", description=_TEXT, required=False, default=20)


def test_every_shipped_handler_matches_its_declaration(app):
    """Every shipped command and action registers again into a fresh, checking registry."""
    registry = app.router.registry
    fresh = Registry()
    for command in registry.commands():
        fresh.add_command(command)
    for action in registry.actions():
        fresh.add_action(action)
    assert len(fresh.commands()) == len(registry.commands()) > 20
    assert len(fresh.actions()) == len(registry.actions()) > 5


def test_no_shipped_parameter_is_named_after_a_builtin(app):
    registry = app.router.registry
    names = {param.name for spec in registry.commands() for param in spec.params}
    assert "poll_id" in names
    assert not names & set(dir(builtins))


class PollFeature:
    """Handlers shaped like a feature's methods, right and wrong."""

    async def results(self, ctx: Context, poll_id: int, view: str | None) -> Reply:
        return Reply.text(f"{poll_id} {view}")

    async def results_without_view(self, ctx: Context, poll_id: int) -> Reply:
        return Reply.text(str(poll_id))

    async def results_view_required(self, ctx: Context, poll_id: int, view: str) -> Reply:
        return Reply.text(view)

    async def results_text_id(self, ctx: Context, poll_id: str, view: str | None) -> Reply:
        return Reply.text(poll_id)

    async def results_optional_id(
        self, ctx: Context, poll_id: int | None, view: str | None
    ) -> Reply:
        return Reply.text(str(poll_id))

    async def results_extra(self, ctx: Context, poll_id: int, view: str | None, page: int) -> Reply:
        return Reply.text(str(page))

    async def results_literal(
        self, ctx: Context, poll_id: int, view: Literal["chart"] | None = None
    ) -> Reply:
        return Reply.text(str(view))

    async def audit(self, ctx: Context, count: int) -> Reply:
        return Reply.text(str(count))

    async def wait(self, ctx: Context, delay: int) -> Reply:
        return Reply.text(str(delay))

    async def no_context(self, *, poll_id: int) -> Reply:
        return Reply.text(str(poll_id))


def _results(handler) -> CommandSpec:
    return CommandSpec(
        name="poll",
        subcommand="results",
        description=_TEXT,
        handler=handler,
        params=(_POLL_ID, _VIEW),
    )


def test_a_matching_handler_registers():
    registry = Registry()
    registry.add_command(_results(PollFeature().results))
    registry.add_command(
        CommandSpec(name="audit", description=_TEXT, handler=PollFeature().audit, params=(_COUNT,))
    )
    assert registry.command("poll results") is not None


def test_a_literal_of_the_choices_and_a_default_are_accepted():
    Registry().add_command(_results(PollFeature().results_literal))


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (
            "results_without_view",
            r"/poll results: handler PollFeature.results_without_view has no parameter 'view'",
        ),
        ("results_view_required", r"'view' .*declared optional but the handler requires it"),
        ("results_text_id", r"'poll_id' of handler PollFeature.results_text_id: declared int"),
        ("results_optional_id", r"'poll_id' .*declared required but the handler makes it optional"),
        ("results_extra", r"handler PollFeature.results_extra requires 'page', which is not"),
        ("no_context", r"handler PollFeature.no_context must take the context"),
    ],
)
def test_a_mismatched_command_handler_fails_at_registration(handler, message):
    with pytest.raises(RegistryError, match=message):
        Registry().add_command(_results(getattr(PollFeature(), handler)))


def test_a_duration_parameter_needs_a_timedelta_handler():
    wait = DurationParam(name="delay", description=_TEXT, maximum=timedelta(hours=1))
    spec = CommandSpec(name="wait", description=_TEXT, handler=PollFeature().wait, params=(wait,))
    with pytest.raises(RegistryError, match=r"/wait: parameter 'delay' .*declared timedelta"):
        Registry().add_command(spec)


def test_a_default_of_another_type_is_refused():
    count = IntParam(name="count", description=_TEXT, required=False, default="20")
    spec = CommandSpec(
        name="audit", description=_TEXT, handler=PollFeature().audit, params=(count,)
    )
    with pytest.raises(RegistryError, match=r"declared int with a default of another type"):
        Registry().add_command(spec)


def test_a_parameter_named_after_a_builtin_is_refused():
    async def show(ctx: Context, id: int) -> Reply:
        return Reply.text(str(id))

    spec = CommandSpec(
        name="show",
        description=_TEXT,
        handler=show,
        params=(IntParam(name="id", description=_TEXT),),
    )
    with pytest.raises(RegistryError, match=r"/show: parameter 'id' is named after a builtin"):
        Registry().add_command(spec)
