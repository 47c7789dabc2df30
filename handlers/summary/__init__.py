"""Offline extractive summaries of articles in Chinese and English."""

from handlers.summary.key_figures import KeyFigure
from handlers.summary.summarizer import (
    ALGORITHM_VERSION,
    LENGTHS,
    Length,
    NothingToSummarizeError,
    SectionSummary,
    Summary,
    summarize,
)
from handlers.summary.words import warm_up, warm_up_in_background

__all__ = [
    "ALGORITHM_VERSION",
    "LENGTHS",
    "KeyFigure",
    "Length",
    "NothingToSummarizeError",
    "SectionSummary",
    "Summary",
    "summarize",
    "warm_up",
    "warm_up_in_background",
]
