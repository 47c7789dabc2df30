"""Moderator panels are private: the core marks their answers, the console shows only the asker.

`/argue queue`, `/audit`, `/settings`, `/schedule` and its list, `/poll export` and the queue's
buttons are declared panels; every answer they give is confidential (Discord and Telegram
honour it in their own tests and tours).
"""

from __future__ import annotations

import io
from pathlib import Path

from bot.adapters.console.adapter import ConsoleAdapter
from tests.support import RecordingResponder, make_actor, make_command

MOD = make_actor("mod", moderator=True)
ARGUMENT = "Fake accounts at this scale are deception, not ordinary use of an API."
PANELS = (
    "/argue queue",
    "/audit",
    "/settings",
    "/settings timezone Asia/Shanghai",
    "/schedule summary in 1h",
    "/schedule list",
    "/schedule cancel 1",
)


async def test_every_answer_of_a_moderator_panel_is_confidential(app) -> None:
    await app.router.dispatch(make_command(f"/argue labs {ARGUMENT}"), RecordingResponder())
    for line in PANELS:
        out = RecordingResponder()
        await app.router.dispatch(make_command(line, actor=MOD), out)
        assert out.replies, line
        assert all(reply.private and reply.confidential for reply in out.replies), line
    shown = RecordingResponder()
    await app.router.dispatch(make_command("/debate"), shown)
    assert not shown.replies[0].private and not shown.replies[0].confidential


async def test_the_console_shows_panels_to_the_moderator_only(app, tmp_path: Path) -> None:
    output = io.StringIO()
    console = ConsoleAdapter(
        app.router, output=output, operator_name="operator", files_dir=tmp_path / "files", script=[]
    )
    app.services.outbox.register(console.gateway)
    await console.run_lines(
        ["/as alice", f"/argue labs {ARGUMENT}", "/as operator", "/argue queue"]
    )
    queue = output.getvalue().split("operator@#console (mod)> /argue queue\n", 1)[1]
    assert queue.startswith("#2 parley (only operator sees this)\n")
    assert ARGUMENT in queue

    await console.run_lines(["/press ✓ Approve #1", "/as alice", "/press 1"])
    text = output.getvalue()
    assert "#2 parley ✎ edited" in text and "Approved argument #1." in text
    assert text.rstrip().endswith("No message with buttons that alice can see in this chat yet.")
