"""The worker behind `PageReader`: one page in on stdin, its readable text out on stdout as JSON.

Input: a JSON line (`url`, `media_type`, `charset`), then the page's bytes. Output: one JSON object,
`{"title", "markdown"}`, `{"refused": {"en", "zh"}, "values"}` for a `UserError`, `{"too_complex"}`
when memory runs out, or `{"error"}` for a bug. Limits (arguments: seconds, bytes) come first.
"""

from __future__ import annotations

import json
import math
import sys

from bot.errors import UserError
from handlers.articles.extract import readable_text
from handlers.articles.fetch import FetchedPage


def main() -> None:
    """Limit this process, read the page from stdin, write the outcome to stdout."""
    _limit_resources(float(sys.argv[1]), int(sys.argv[2]))
    header = json.loads(sys.stdin.buffer.readline())
    body = sys.stdin.buffer.read()
    page = FetchedPage(header["url"], header["media_type"], header["charset"], body)
    sys.stdout.buffer.write(json.dumps(_outcome(page), ensure_ascii=False).encode())


def _outcome(page: FetchedPage) -> dict[str, object]:
    try:
        readable = readable_text(page)
    except UserError as error:
        message = {"en": error.message.en, "zh": error.message.zh}
        return {"refused": message, "values": error.values}
    except MemoryError:
        return {"too_complex": True}
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"[:500]}
    return {"title": readable.title, "markdown": readable.markdown}


def _limit_resources(seconds: float, memory_bytes: int) -> None:
    """CPU time a little over the budget (the kernel kills past it); on Linux, address space.

    Windows has neither limit: there the parent's kill at the deadline is the only bound.
    """
    if sys.platform == "win32":
        return
    import resource

    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if sys.platform.startswith("linux"):  # the current size comes from /proc
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (mapped + memory_bytes, mapped + memory_bytes))


if __name__ == "__main__":
    main()
