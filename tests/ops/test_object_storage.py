"""Uploads and determinations on S3-compatible object storage (issue 17, DESIGN §13).

No S3 server can be installed on these machines: the stand-in is moto's standalone server (PyPI
`moto[server]`, the `s3_endpoint` fixture of tests/ops/conftest.py), on a free loopback port, spoken
to over HTTP exactly as OSS, COS, OBS or MinIO would be (path-style addressing, SigV4)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.authtoken.models import Token

from applications.models import Application, Attachment, Determination, NumberSeries
from filing import services
from haidong_policy import env
from review import services as review_services
from tests.personas import PDF, REQUIRED_FOR_DATA_CENTRE, application_facts, other_enterprise, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new bucket, and the media store pointed at it through MEDIA_STORAGE_URL as in production."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    name = f"haidong-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="cn-northwest-1")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "cn-northwest-1"})
    monkeypatch.setenv("MEDIA_STORAGE_URL", f"s3://{name}/media?endpoint={s3_endpoint}&region=cn-northwest-1"
                                            "&addressing=path")
    settings.STORAGES = {**settings.STORAGES, "default": env.get_media_storage("MEDIA_STORAGE_URL")}
    return client, name


def objects(bucket) -> dict[str, bytes]:
    client, name = bucket
    listing = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=name, Key=o["Key"])["Body"].read() for o in listing}


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def draft(user) -> Application:
    return services.application_create(user=user, facts=application_facts())


def submitted(user) -> Application:
    app = draft(user)
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=user, kind=kind, upload=upload())
    services.application_submit(application_id=app.pk, user=user, declaration=True)
    return app


@pytest.mark.parametrize(("url", "problem"), [
    ("http://bucket", "expected s3://bucket"),
    ("s3://bucket", "endpoint must be an http(s):// address"),
    ("s3://bucket?endpoint=ftp://x", "endpoint must be an http(s):// address"),
    ("s3://key:secret@bucket?endpoint=https://oss.example.com", "credentials"),
    ("s3://:secret@bucket?endpoint=https://oss.example.com", "credentials"),
    ("s3://bucket?endpoint=https://oss.example.com&colour=blue", "unknown parameter 'colour'"),
    ("s3://bucket?endpoint=https://oss.example.com&addressing=sideways", "addressing must be path or virtual"),
])
def test_it_refuses_a_media_storage_url_it_cannot_use_and_names_the_variable(monkeypatch, url, problem):
    monkeypatch.setenv("MEDIA_STORAGE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE_URL") as error:
        env.get_media_storage("MEDIA_STORAGE_URL")
    assert problem in str(error.value) and "secret" not in str(error.value)


def test_it_reads_bucket_prefix_endpoint_and_region_from_the_url(monkeypatch):
    monkeypatch.delenv("MEDIA_STORAGE_URL", raising=False)
    assert env.get_media_storage("MEDIA_STORAGE_URL") == {"BACKEND": "kernel.storage.AtomicFileSystemStorage"}
    monkeypatch.setenv("MEDIA_STORAGE_URL", "s3://haidong-media/prod?endpoint=https://oss-cn-hangzhou.aliyuncs.com/"
                                            "&region=cn-hangzhou")
    assert env.get_media_storage("MEDIA_STORAGE_URL") == {"BACKEND": "kernel.objectstorage.ConfirmedS3Storage", "OPTIONS": {
        "bucket_name": "haidong-media", "location": "prod", "endpoint_url": "https://oss-cn-hangzhou.aliyuncs.com",
        "region_name": "cn-hangzhou", "addressing_style": "virtual"}}


def test_it_stores_attachments_and_determinations_in_the_bucket_and_streams_them_to_who_may_see_them(
        client, alice, park, bucket, settings):
    app = submitted(alice)
    determination = review_services.application_approve(application_id=app.pk, reviewer=park).determination
    stored = objects(bucket)
    attachments = list(Attachment.objects.filter(application=app))
    assert len(attachments) == len(REQUIRED_FOR_DATA_CENTRE) and determination.pdf
    for a in attachments:
        assert stored[f"media/{a.file.name}"] == PDF and a.sha256 == hashlib.sha256(PDF).hexdigest()
    pdf = stored[f"media/{determination.pdf.name}"]
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == determination.sha256
    assert media_files(settings) == []  # nothing on the node's disk

    token = Token.objects.create(user=alice).key
    r = client.get(f"/api/v1/applications/{app.pk}/determination.pdf", HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 200 and b"".join(r.streaming_content) == pdf
    r = client.get(f"/api/v1/applications/{app.pk}/attachments/{attachments[0].pk}", HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    other = Token.objects.create(user=other_enterprise()).key
    assert client.get(f"/api/v1/applications/{app.pk}/determination.pdf",
                      HTTP_AUTHORIZATION=f"Token {other}").status_code == 404
    assert client.get(f"/api/v1/applications/{app.pk}/attachments/{attachments[0].pk}",
                      HTTP_AUTHORIZATION=f"Token {other}").status_code == 404
    verified = client.get(f"/api/v1/verify/{determination.verification_code}").json()
    assert verified["valid"] is True and verified["sha256"] == determination.sha256
    assert verified["signature"]["valid"] is True  # the signature read back from the bucket's bytes


def test_it_never_overwrites_an_object(alice, bucket):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("d/x.pdf", ContentFile(b"%PDF-one"))
    second = default_storage.save("d/x.pdf", ContentFile(b"%PDF-two"))
    assert first == "d/x.pdf" and second != first
    assert objects(bucket) == {"media/d/x.pdf": b"%PDF-one", f"media/{second}": b"%PDF-two"}


def test_it_refuses_an_upload_the_store_cannot_take_and_keeps_the_draft(client, alice, bucket):
    app = draft(alice)
    client_, name = bucket
    client_.delete_bucket(Bucket=name)  # the store is gone: every write fails
    token = Token.objects.create(user=alice).key
    r = client.post(f"/api/v1/applications/{app.pk}/attachments", {"kind": "business_license", "file": upload()},
                    HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 503 and r["Content-Type"] == "application/problem+json"
    assert "nothing was saved" in r.json()["detail"] or "未保存" in r.json()["detail"]
    assert not Attachment.objects.exists() and Application.objects.get(pk=app.pk).facts == app.facts


def test_it_removes_an_object_whose_size_it_cannot_confirm_and_keeps_no_row(alice, bucket, monkeypatch):
    from kernel.errors import Unavailable

    app = draft(alice)
    with monkeypatch.context() as patched:  # the store answers for a shorter object than was sent
        patched.setattr("kernel.objectstorage.ConfirmedS3Storage.stored_size", lambda self, name: 3)
        with pytest.raises(Unavailable):
            services.attachment_add(application_id=app.pk, user=alice, kind="business_license", upload=upload())
    assert not Attachment.objects.exists()
    assert objects(bucket) == {}


def test_it_takes_no_determination_number_when_the_pdf_cannot_be_stored(client, alice, park, bucket, settings):
    app = submitted(alice)
    client_, name = bucket
    for key in list(objects(bucket)):
        client_.delete_object(Bucket=name, Key=key)
    client_.delete_bucket(Bucket=name)
    token = Token.objects.create(user=park).key
    r = client.post(f"/api/v1/applications/{app.pk}/approve", {"note": "材料齐全"}, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 503 and r["Content-Type"] == "application/problem+json"
    assert Application.objects.get(pk=app.pk).state == "submitted"
    assert not Determination.objects.exists()
    assert not NumberSeries.objects.filter(last_serial__gt=0).exists()
    assert media_files(settings) == []


def test_it_reports_ready_only_while_the_bucket_can_be_written(client, bucket):
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["checks"]["media"] == {"ok": True, "detail": "ok"}
    assert objects(bucket) == {}  # the probe removed its object
    client_, name = bucket
    client_.delete_bucket(Bucket=name)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["media"]["detail"].startswith("media store not writable")


@pytest.mark.django_db(transaction=True)
def test_it_exports_from_one_bucket_and_restores_into_another_byte_for_byte(
        s3_endpoint, alice, park, bucket, settings, monkeypatch, tmp_path):
    from django.core.management import call_command

    from operations import backup

    app = submitted(alice)
    review_services.application_approve(application_id=app.pk, reviewer=park)
    before = {key.removeprefix("media/"): body for key, body in objects(bucket).items()}
    assert len(before) == len(REQUIRED_FOR_DATA_CENTRE) + 1
    archive = tmp_path / "backup.tar.gz"
    backup.export_data(archive)

    call_command("flush", interactive=False, verbosity=0)
    client_, _ = bucket
    target = f"haidong-{uuid.uuid4().hex[:12]}"
    client_.create_bucket(Bucket=target, CreateBucketConfiguration={"LocationConstraint": "cn-northwest-1"})
    monkeypatch.setenv("MEDIA_STORAGE_URL", f"s3://{target}?endpoint={s3_endpoint}&region=cn-northwest-1&addressing=path")
    settings.STORAGES = {**settings.STORAGES, "default": env.get_media_storage("MEDIA_STORAGE_URL")}
    backup.import_data(archive)

    assert objects((client_, target)) == before
    determination = Determination.objects.get()
    assert hashlib.sha256(determination.pdf.open("rb").read()).hexdigest() == determination.sha256
    with pytest.raises(backup.BackupError, match="not empty"):  # again: nothing is written twice
        backup.import_data(archive)
    assert objects((client_, target)) == before


def test_it_answers_503_not_half_a_file_when_the_store_cannot_be_read(client, alice, park, bucket):
    app = submitted(alice)
    determination = review_services.application_approve(application_id=app.pk, reviewer=park).determination
    client_, name = bucket
    for key in list(objects(bucket)):
        client_.delete_object(Bucket=name, Key=key)
    client_.delete_bucket(Bucket=name)
    token = Token.objects.create(user=alice).key
    attachment = Attachment.objects.filter(application=app).first()
    for url in (f"/api/v1/applications/{app.pk}/determination.pdf",
                f"/api/v1/applications/{app.pk}/attachments/{attachment.pk}"):
        r = client.get(url, HTTP_AUTHORIZATION=f"Token {token}")
        assert r.status_code == 503 and r["Content-Type"] == "application/problem+json", url
    r = client.get(f"/api/v1/verify/{determination.verification_code}")
    assert r.status_code == 503 and r["Content-Type"] == "application/problem+json"


def test_it_removes_an_object_whose_put_answer_was_lost(alice, bucket, monkeypatch):
    from botocore.exceptions import ReadTimeoutError
    from storages.backends.s3 import S3Storage

    from kernel.errors import Unavailable

    app = draft(alice)
    put = S3Storage._save

    def stored_then_lost(self, name, content):
        put(self, name, content)  # the store keeps the object, its answer never arrives
        raise ReadTimeoutError(endpoint_url="http://store")

    with monkeypatch.context() as patched:
        patched.setattr(S3Storage, "_save", stored_then_lost)
        with pytest.raises(Unavailable):
            services.attachment_add(application_id=app.pk, user=alice, kind="business_license", upload=upload())
    assert not Attachment.objects.exists()
    assert objects(bucket) == {}
