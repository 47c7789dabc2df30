"""Hostile pages for the import tests, and a probe for peak memory and event-loop stalls."""

import asyncio
import functools
import gzip
import os
import time
import zlib
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

_MIB = 1 << 20


def _gzip_of_zeros(mib: int) -> bytes:
    """A gzip stream of `mib` MiB of zeros, built from one repeated 16 MiB segment (fast).

    Full flushes make every segment after the first compress to the same bytes. The trailer is left
    out: a reader that honours a size cap never gets that far.
    """
    zeros = bytes(16 * _MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    segment = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + segment * (mib // 16 - 1)


@functools.cache
def double_gzip_bomb() -> bytes:
    """About 7 KB that decode, twice, to 4 GiB of zeros (the review's page, finding 4)."""
    return gzip.compress(_gzip_of_zeros(4096), 9)


@functools.cache
def gzip_bomb() -> bytes:
    """About 1 MB that decodes once to 1 GiB of zeros."""
    return _gzip_of_zeros(1024)


@functools.cache
def wide_table_page() -> bytes:
    """A 1.7 MB `<table>` page whose cells span 100 columns: about 25 s of extraction work."""
    rows = "".join(f'<tr><td colspan="100">cell {i}</td></tr>' for i in range(40_000))
    return f"<html><body><table>{rows}</table></body></html>".encode()


def worker_processes() -> list[int]:
    """The ids of this process's page-reading workers that still exist."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines())
            command = (status.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", "0")) == os.getpid() and b"reader_worker" in command:
            found.append(int(status.parent.name))
    return found


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak_rss() -> int:
    """Reset VmHWM to the current RSS (Linux `clear_refs`); returns that RSS in KiB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS")


@dataclass
class Cost:
    """What a block of work cost the process: peak RSS growth and the longest event-loop stall."""

    peak_rss_mb: float = 0.0
    longest_stall: float = 0.0
    seconds: float = 0.0


@asynccontextmanager
async def measured():
    """Measure the peak RSS growth (VmHWM, reset first) and the longest loop stall inside."""
    cost = Cost()
    before = _reset_peak_rss()

    async def tick():
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            cost.longest_stall = max(cost.longest_stall, time.perf_counter() - started - 0.005)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0)
    started = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - started
        ticker.cancel()
        cost.peak_rss_mb = (_status_kb("VmHWM") - before) / 1024
