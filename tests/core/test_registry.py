"""Meta-tests over the real feature set: declarations are complete and consistent."""

from bot.commands import Role


def test_every_command_is_declared_in_both_languages(app):
    registry = app.router.registry
    commands = registry.commands()
    assert {"help", "about"} <= {c.name for c in commands}
    for spec in commands:
        assert spec.description.en and spec.description.zh
        for param in spec.params:
            assert param.description.en and param.description.zh


def test_moderator_commands_are_hidden_from_members(app):
    visible = app.router.registry.visible_to(is_moderator=False)
    assert all(spec.role is Role.MEMBER for spec in visible)
