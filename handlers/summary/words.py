"""Content words of a sentence: rjieba for Chinese runs, a regex for Latin words and numbers.

rjieba (jieba's algorithm and dictionary in Rust: the same words, about 12x faster) is imported,
and so its dictionary loaded, on first use (or by `warm_up`), never at import time. English needs
no data files: a built-in stopword list is enough.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache

_TOKEN = re.compile(
    r"(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|(?P<latin>[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*)"
    r"|(?P<number>\d+(?:[.,]\d+)*)"
)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

ENGLISH_STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever every few for from further get gets got had
    hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just
    let's like made make many may me might more most much must mustn't my myself never no nor not
    now of off on once one only or other ought our ours ourselves out over own per quite rather
    really said same say says shall shan't she she'd she'll she's should shouldn't since so some
    still such than that that's the their theirs them themselves then there there's these they
    they'd they'll they're they've this those though through thus to too under until up upon us
    very via was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's whether which while who who's whom whose why why's will with within without won't
    would wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves
    """.split()  # noqa: SIM905 -- a word list reads best as plain text
)

CHINESE_STOPWORDS = frozenset(
    """
    的 了 是 在 和 与 及 或 而 也 就 都 还 又 并 但 却 则 把 被 让 给 对 向 从 到 于 以 为 由
    着 过 吗 呢 吧 啊 呀 么 嘛 之 其 此 这 那 哪 谁 什么 怎么 怎样 如何 为什么 这个 那个 这些
    那些 这样 那样 这么 那么 这里 那里 一个 一种 一些 一样 一点 没有 不是 就是 还是 但是 而是
    可是 因为 所以 如果 虽然 然后 而且 并且 或者 以及 只是 只有 已经 可以 可能 应该 需要 能够
    我们 你们 他们 她们 它们 我 你 他 她 它 自己 大家 有 个 们 很 最 更 太 非常 真的 其实
    甚至 之后 之前 时候 现在 当时 今天 昨天 一下 一直 一起 这种 那种 所有 任何 每个 各种
    們 這 那 個 為 與 對 從 於 這個 那個 這些 那些 這樣 那樣 這麼 那麼 這裡 那裡 一個 沒有
    還是 但是 因為 所以 如果 雖然 然後 而且 並且 或者 以及 只是 只有 已經 可以 可能 應該 需要
    我們 你們 他們 她們 它們 自己 大家 甚麼 什麼 怎麼 為什麼 時候 現在 當時 今天 昨天 所有
    """.split()  # noqa: SIM905 -- a word list reads best as plain text
)

_lock = threading.Lock()
_segmenter: Callable[[str], list[str]] | None = None


def content_words(text: str) -> list[str]:
    """Return the content words of `text`, lower-cased, in order, stopwords dropped.

    Chinese words come from rjieba (single characters dropped), English words are lightly stemmed
    (plural -s), and numbers are kept with their digits.
    """
    words: list[str] = []
    for match in _TOKEN.finditer(text):
        if cjk := match.group("cjk"):
            words.extend(
                word
                for word in segment_chinese(cjk)
                if len(word) > 1 and word not in CHINESE_STOPWORDS
            )
        elif latin := match.group("latin"):
            lowered = _normalize_latin(latin)
            if lowered not in ENGLISH_STOPWORDS and len(lowered) > 1:
                words.append(_stem(lowered))
        else:
            words.append(match.group("number").replace(",", ""))
    return words


def proper_names(text: str) -> set[str]:
    """Return the capitalized Latin words of a sentence, normalized like `content_words`.

    In English the sentence's first word is skipped, since it is capitalized anyway; in Chinese
    text every capitalized Latin word counts ("DeepSeek", "Claude").
    """
    matches = [m.group("latin") for m in _TOKEN.finditer(text) if m.group("latin")]
    if matches and not _CJK.search(text):
        matches = matches[1:]
    names = {_normalize_latin(word) for word in matches if any(c.isupper() for c in word)}
    return {_stem(name) for name in names if name not in ENGLISH_STOPWORDS and len(name) > 1}


def warm_up() -> None:
    """Load the segmenter's dictionary now (blocking, a fraction of a second)."""
    _tokenizer()


def warm_up_in_background() -> threading.Thread:
    """Load the segmenter's dictionary on a daemon thread, so that start-up does not wait for it."""
    thread = threading.Thread(target=warm_up, name="segmenter-warm-up", daemon=True)
    thread.start()
    return thread


def segment_chinese(run: str) -> list[str]:
    """Split a run of Chinese characters into jieba's words, punctuation and all."""
    return _cached_segment(run) if len(run) <= 64 else _tokenizer()(run)


@lru_cache(maxsize=8192)
def _cached_segment(run: str) -> list[str]:
    return _tokenizer()(run)


def _tokenizer() -> Callable[[str], list[str]]:
    global _segmenter
    if _segmenter is not None:
        return _segmenter
    with _lock:
        if _segmenter is None:
            import rjieba  # loads its dictionary: the reason this import waits for first use

            _segmenter = rjieba.cut
        return _segmenter


def _normalize_latin(word: str) -> str:
    lowered = word.lower().replace("’", "'")
    return lowered.removesuffix("'s")


def _stem(word: str) -> str:
    """Strip a plural ("accounts" -> "account", "copies" -> "copy"); keep -ss, -us, -is."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
