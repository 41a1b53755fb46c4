"""Uploads and determinations on S3-compatible object storage (MEDIA_STORAGE_URL; haidong_policy.env).
A module of its own so that boto3 is imported only where it is used."""

from __future__ import annotations

import contextlib

from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage


@contextlib.contextmanager
def as_oserror():
    """boto's errors as `OSError`, the one failure the services expect of any store."""
    try:
        yield
    except (BotoCoreError, ClientError, Boto3Error) as exc:
        raise OSError(f"object store: {type(exc).__name__}: {exc}") from exc


class ConfirmedS3Storage(S3Storage):
    """S3-compatible object storage (Alibaba OSS, Tencent COS, Huawei OBS, MinIO) for the same
    promise: a name is written once (never overwritten), the upload is confirmed by reading the
    object's size back before `save` returns (so before the caller's transaction commits), and any
    failure is an `OSError`, as on the file system, with the object removed if it got that far.
    Objects are private: downloads stream through the views that check who may see them."""

    def __init__(self, **settings):
        settings = {
            "file_overwrite": False, "default_acl": None, "querystring_auth": True,
            # A download is read from the store into a temporary file, spilled to disk beyond this size.
            "max_memory_size": 2_621_440,
            "client_config": Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                                    signature_version="s3v4",
                                    s3={"addressing_style": settings.get("addressing_style") or "virtual"}),
            **settings,
        }
        super().__init__(**settings)

    def save(self, name, content, max_length=None):
        with as_oserror():
            return super().save(name, content, max_length=max_length)

    def _save(self, name, content):
        size = content.size
        try:  # from the PUT on: its answer may be lost after the store kept the object
            name = super()._save(name, content)
            stored = self.stored_size(name)
            if stored != size:
                raise OSError(f"object store: {name} holds {stored} bytes, {size} were written")
        except BaseException:
            with contextlib.suppress(Exception):
                self.delete(name)
            raise
        return name

    def _open(self, name, mode="rb"):
        with as_oserror():
            opened = super()._open(name, mode)
            if "r" in mode:
                opened.file  # noqa: B018 - fetch now: a store that cannot be read fails here, not mid-response
            return opened

    def stored_size(self, name: str) -> int:
        """The size the store reports for an object (a HEAD request: strongly consistent on S3)."""
        return self.connection.meta.client.head_object(Bucket=self.bucket_name,
                                                       Key=self._normalize_name(name))["ContentLength"]

    def delete(self, name):
        with as_oserror():
            super().delete(name)

    def path(self, name):
        raise NotImplementedError("objects have no local path: read them with open()")
