"""The media store on the file system, written so that a failure leaves nothing behind: each file
is written under a temporary name in its folder, flushed to disk, then linked to its final name
(never replacing one) and the folder flushed too. A write that fails (disk full, read-only, an
exception) removes its temporary file; a process killed mid-write leaves only a `.part` file, which
no row names and which `.part` marks as incomplete."""

from __future__ import annotations

import contextlib
import os
import uuid

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from kernel.errors import Unavailable


def STORE_UNAVAILABLE() -> str:
    return _("The document store cannot be written just now: nothing was saved. Please try again later.")


def STORE_UNREADABLE() -> str:
    return _("The document store cannot be read just now. Please try again later.")


def open_stored(field_file):
    """A stored file opened for reading, or `Unavailable` (503) when the store cannot be read now;
    on object storage the bytes are fetched here, before any response has begun."""
    try:
        return field_file.open("rb")
    except OSError:
        raise Unavailable(STORE_UNREADABLE()) from None


def discard_stored(field_file) -> None:
    """Remove a file whose row could not be written (no row, no file), keeping quiet if the store
    fails too: the error to raise is the one that stopped the row."""
    with contextlib.suppress(OSError):
        field_file.delete(save=False)


def fsync_directory(path: str) -> None:
    directory = os.open(path, os.O_RDONLY)
    try:
        os.fsync(directory)  # the new name too, so the file survives a power cut, not only a crash
    finally:
        os.close(directory)


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        temporary = os.path.join(directory, f".{uuid.uuid4().hex}.part")
        try:
            with open(temporary, "xb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            while True:
                try:
                    os.link(temporary, full_path)  # fails if the name is taken: never overwrites
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
            fsync_directory(directory)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return name.replace("\\", "/")
