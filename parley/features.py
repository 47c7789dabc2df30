"""The list of features Parley runs; the one place where features are wired in."""

from __future__ import annotations

from bot.services import Feature, Services
from handlers.articles.feature import ArticleFeature
from handlers.debate.feature import DebateFeature
from handlers.general import GeneralFeature
from handlers.ground.feature import GroundFeature
from handlers.moderation.feature import ModerationFeature
from handlers.polls.feature import PollFeature
from handlers.summary.feature import SummaryFeature
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from parley.operator_requests import OperatorRequests


def build_features(services: Services) -> list[Feature]:
    """Create every feature with the services it needs; the topic is loaded and checked here."""
    topic = load_topic(DEFAULT_TOPIC)
    articles = ArticleFeature(services, topic)
    polls = PollFeature(services, topic.polls)
    return [
        GeneralFeature(services),
        ModerationFeature(services),
        DebateFeature(services, topic.debate_map, article_title=topic.default_article.title),
        articles,
        SummaryFeature(services, articles.library),
        polls,
        GroundFeature(services, topic.debate_map, polls.service.keyed_voter),
        OperatorRequests(services),
    ]
