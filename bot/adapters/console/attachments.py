"""Reading a local file for `/attach PATH`: regular files only, never more than the limit."""

from __future__ import annotations

import errno
import mimetypes
import os
import stat
from pathlib import Path

from bot.i18n import Localized
from bot.invocation import InboundFile

MAX_ATTACHMENT_BYTES = 2_000_000

NOT_FOUND = Localized("there is no such file", "没有这个文件")
NO_PERMISSION = Localized("you may not read it", "没有读取权限")
NOT_A_FILE = Localized(
    "it is not a regular file (a directory, device or pipe)",
    "它不是普通文件（而是目录、设备或管道）",
)
TOO_LARGE = Localized("it is larger than {limit} bytes", "文件超过 {limit} 字节")
UNREADABLE = Localized("it cannot be read ({code})", "无法读取（{code}）")


class AttachmentError(Exception):
    """A file that cannot be attached, with the reason for the console user."""

    def __init__(self, reason: Localized, **values: object) -> None:
        super().__init__(reason.en)
        self.reason = reason
        self.values = values


def read_attachment(path: Path, limit: int = MAX_ATTACHMENT_BYTES) -> InboundFile:
    """Read `path` as an attachment; raise AttachmentError for anything but a small regular file.

    The file is opened without blocking (a FIFO does not hang), checked to be a regular file on
    the open descriptor, and read at most `limit + 1` bytes, whatever its reported size.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except ValueError as error:  # an embedded NUL byte
        raise AttachmentError(NOT_FOUND) from error
    except OSError as error:
        raise _os_error(error) from error
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise AttachmentError(NOT_A_FILE)
        data = _read_at_most(descriptor, limit + 1)
    except OSError as error:
        raise _os_error(error) from error
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise AttachmentError(TOO_LARGE, limit=limit)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return InboundFile(path.name, data, media_type)


def _read_at_most(descriptor: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(descriptor, min(left, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _os_error(error: OSError) -> AttachmentError:
    if error.errno == errno.ENOENT:
        return AttachmentError(NOT_FOUND)
    if error.errno in (errno.EACCES, errno.EPERM):
        return AttachmentError(NO_PERMISSION)
    if error.errno == errno.EISDIR:
        return AttachmentError(NOT_A_FILE)
    code = errno.errorcode.get(error.errno or 0, "error")
    return AttachmentError(UNREADABLE, code=code)
