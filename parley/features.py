"""The list of features Parley runs; the one place where features are wired in."""

from __future__ import annotations

from bot.services import Feature, Services
from handlers.debate.feature import DebateFeature
from handlers.general import GeneralFeature
from handlers.moderation.feature import ModerationFeature
from handlers.polls.feature import PollFeature
from handlers.summary.feature import SummaryFeature
from parley.operator_requests import OperatorRequests


def build_features(services: Services) -> list[Feature]:
    """Create every feature with the services it needs."""
    return [
        GeneralFeature(services),
        ModerationFeature(services),
        DebateFeature(services),
        SummaryFeature(services),
        PollFeature(services),
        OperatorRequests(services),
    ]
