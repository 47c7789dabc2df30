"""What a sentence tells: the facets a TL;DR should cover at least once each.

A good one-to-three sentence summary of a news or opinion piece says who did what (the actors'
names), how much (the salient figures), what the other side objects (a quoted or reported voice)
and where the author turns ("But…"). `Facets` holds them for one sentence; the selector in
`ranking.select_covering` prefers sentences that add facets the summary does not carry yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REPORTED = re.compile(
    r"\b(?:says?|said|argue[sd]?|argu(?:es|ing)|repl(?:y|ied|ies)|object(?:s|ed)?|critics?"
    r"|counter(?:s|ed)?|insists?|insisted|warn(?:s|ed)?|note[sd]?)\b"
    r"|认为|指出|表示|主张|质疑|批评|反驳|回应|認為|主張|質疑|批評|反駁|回應",
    re.IGNORECASE,
)
_TURN = re.compile(
    r"^[\s\"“「]*(?:(?:but|however|yet|instead|still|nevertheless)\b|但|然而|不过|可是|反而|不過)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Facets:
    """The facets of one sentence.

    `names` and `figures` are its actors and its salient figure values; `voice` says it quotes or
    reports someone's stance (a quote paragraph, "critics say", "有学者认为"); `contrast` says it
    opens with a turn of the argument ("But…", "但…").
    """

    names: frozenset[str] = frozenset()
    figures: frozenset[float] = frozenset()
    voice: bool = False
    contrast: bool = False


def find_facets(
    sentence: str, names: frozenset[str], figures: frozenset[float], is_quote: bool
) -> Facets:
    """The facets of `sentence`, given its names, its figure values and whether it is quoted."""
    return Facets(
        names=names,
        figures=figures,
        voice=is_quote or bool(_REPORTED.search(sentence)),
        contrast=bool(_TURN.search(sentence)),
    )
