"""export_data / import_data: a round trip restores every row (same keys, every field) and every file
byte for byte; a tampered or mismatched archive, a non-empty database, a file in the way and a
failure half-way all leave nothing imported. On SQLite and PostgreSQL (.ci/run)."""

import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

from accounts.models import User
from applications.models import Application, Attachment, Determination, Grant, State
from audit.models import AuditEntry
from filing import services
from measures.version import RULES_VERSION
from operations import backup
from review import services as review_services
from tests.personas import (
    PNG,
    REQUIRED_FOR_DATA_CENTRE,
    applicant,
    application_facts,
    city_admin,
    other_enterprise,
    reviewer,
    upload,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_now")]


# --- the state to export ---------------------------------------------------------------------------

def tick(frozen_now):
    # Microseconds too: the export must keep them (Django's JSON encoder alone keeps milliseconds).
    frozen_now.shift(dt.timedelta(minutes=7, microseconds=123457))


def facts_of(user, code, **project) -> dict:
    facts = application_facts(code=code, **project)
    facts["enterprise"].update(credit_code=user.enterprise.credit_code, name=user.enterprise.name)
    return facts


def submitted(user, frozen_now, code="2406-630202-04-01-532198", **project):
    app = services.application_create(user=user, facts=facts_of(user, code, **project))
    for kind in REQUIRED_FOR_DATA_CENTRE:
        tick(frozen_now)
        services.attachment_add(application_id=app.pk, user=user, kind=kind, upload=upload(f"{kind}.pdf"))
    tick(frozen_now)
    services.application_submit(application_id=app.pk, user=user, declaration=True)
    return app


def build_state(frozen_now, full=True) -> dict:
    alice, park = applicant(), reviewer("park")
    approved = submitted(alice, frozen_now)
    tick(frozen_now)
    review_services.application_approve(application_id=approved.pk, reviewer=park, note="材料齐全")
    state = {"alice": alice, "park": park, "approved": approved}
    if not full:
        return state
    bob, county, admin = other_enterprise(), reviewer("630203"), city_admin()
    draft = services.application_create(user=alice, facts=application_facts(code="2406-630202-04-01-532199"))
    services.attachment_add(application_id=draft.pk, user=alice, kind="business_license", upload=upload())
    tick(frozen_now)  # a newer licence: the first one stays, superseded
    services.attachment_add(application_id=draft.pk, user=alice, kind="business_license",
                            upload=upload("licence.png", PNG, "image/png"))
    waiting = submitted(bob, frozen_now, code="2406-630202-04-01-532200")
    claimed = submitted(alice, frozen_now, code="2406-630202-04-01-532201")
    review_services.application_claim(application_id=claimed.pk, reviewer=park)
    returned = submitted(alice, frozen_now, code="2406-630202-04-01-532202")
    tick(frozen_now)
    review_services.application_return(application_id=returned.pk, reviewer=park, note="请补充发票")
    rejected = submitted(bob, frozen_now, code="2406-630202-04-01-532203", completed_on="2025-04-01")
    tick(frozen_now)
    review_services.application_reject(application_id=rejected.pk, reviewer=park, note="项目尚未实际建成")
    withdrawn = services.application_create(user=bob, facts=facts_of(bob, "2406-630202-04-01-532204"))
    services.application_withdraw(application_id=withdrawn.pk, user=bob, note="重复申请")
    # Admin-side data referring to content types and permissions (natural keys), and a token.
    auditors = Group.objects.create(name="auditors")
    auditors.permissions.add(Permission.objects.get(codename="view_auditentry"))
    admin.groups.add(auditors)
    county.user_permissions.add(Permission.objects.get(codename="view_determination"))
    LogEntry.objects.create(user=admin, content_type=ContentType.objects.get_for_model(User),
                            object_id=str(county.pk), object_repr=str(county), action_flag=CHANGE,
                            change_message='[{"changed": {"fields": ["email"]}}]')
    Token.objects.create(user=alice)
    return {**state, "bob": bob, "draft": draft, "waiting": waiting, "claimed": claimed, "returned": returned,
            "rejected": rejected, "withdrawn": withdrawn}


# --- comparing -------------------------------------------------------------------------------------

def natural(obj):
    return obj.natural_key() if obj is not None else None


def rows(label: str) -> list[dict]:
    """Every row of a model, every column (generated ones too), ids of content types and permissions
    as natural keys; many-to-many as sets."""
    model = apps.get_model(label)
    out = []
    for obj in model._base_manager.order_by("pk"):
        row = {}
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in (ContentType, Permission):
                row[f.name] = natural(getattr(obj, f.name))
            else:
                value = f.value_from_object(obj)
                row[f.attname] = value.name if hasattr(value, "storage") else value
        for f in model._meta.many_to_many:
            related = getattr(obj, f.name).all()
            row[f.name] = sorted(natural(r) if f.related_model is Permission else r.pk for r in related)
        out.append(row)
    return out


def database() -> dict[str, list[dict]]:
    return {label: rows(label) for label in backup.EXPORTED}


def media(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_nothing_imported(media_root: Path):
    assert not [label for label in backup.MUST_BE_EMPTY if apps.get_model(label)._base_manager.exists()]
    assert not media_root.exists() or media(media_root) == {}


def flush_to_empty(settings, tmp_path) -> Path:
    """An empty, migrated database and a new MEDIA_ROOT: where a restore goes."""
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    return settings.MEDIA_ROOT


def rewrite(archive: Path, out: Path, change) -> Path:
    """A copy of the archive with change(name, bytes) -> bytes | None (None drops the member)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as dst:
        for member in src:
            data = change(member.name, src.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
    return out


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}


def flip_byte(data: bytes, at: int = 20) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


@pytest.fixture
def exported(frozen_now, tmp_path, settings):
    state = build_state(frozen_now, full=False)
    out = tmp_path / "backup.tar.gz"
    backup.export_data(out)
    return state, out


# --- the round trip --------------------------------------------------------------------------------

def test_a_round_trip_restores_every_row_and_every_file_byte_for_byte(frozen_now, tmp_path, settings):
    build_state(frozen_now)
    before, files_before = database(), media(Path(settings.MEDIA_ROOT))
    assert Attachment.objects.filter(superseded_at__isnull=False).exists()
    assert Determination.objects.count() == 2 and Grant.objects.count() == 1
    assert {a.state for a in Application.objects.all()} == {
        State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.RETURNED, State.APPROVED, State.REJECTED,
        State.WITHDRAWN}
    assert any(e.at.microsecond for e in AuditEntry.objects.all())
    out = tmp_path / "backup.tar.gz"

    call_command("export_data", str(out), stdout=io.StringIO())

    archived = members(out)
    manifest = json.loads(archived["manifest.json"])
    assert next(iter(archived)) == "manifest.json"
    assert manifest["format_version"] == backup.FORMAT_VERSION and manifest["rules_version"] == RULES_VERSION
    assert manifest["row_counts"] == {label: len(before[label]) for label in backup.EXPORTED}
    assert {m["name"] for m in manifest["members"]} == set(archived) - {"manifest.json"}
    for m in manifest["members"]:
        assert hashlib.sha256(archived[m["name"]]).hexdigest() == m["sha256"] and len(archived[m["name"]]) == m["size"]
    assert {n.removeprefix("files/"): b for n, b in archived.items() if n.startswith("files/")} == files_before
    assert "in_queue" not in archived["data/applications.application.jsonl"].decode()
    assert b"authtoken" not in archived["data/accounts.user.jsonl"] and "data/authtoken.token.jsonl" not in archived
    assert b"pbkdf2" in archived["data/accounts.user.jsonl"] or b"md5$" in archived["data/accounts.user.jsonl"]

    restored_root = flush_to_empty(settings, tmp_path)
    assert not Application.objects.exists() and not User.objects.exists()
    call_command("import_data", str(out), stdout=io.StringIO())

    after = database()
    for label in backup.EXPORTED:
        assert after[label] == before[label], label
    assert media(restored_root) == files_before
    for determination in Determination.objects.all():
        assert hashlib.sha256(Path(determination.pdf.path).read_bytes()).hexdigest() == determination.sha256
    for attachment in Attachment.objects.all():
        assert hashlib.sha256(Path(attachment.file.path).read_bytes()).hexdigest() == attachment.sha256
    assert not Token.objects.exists()  # credentials are not carried over

    # The restored service carries on: new keys after the restored ones, the number series continues.
    alice, park = User.objects.get(username="applicant"), User.objects.get(username="reviewer_park")
    newest = max(r["id"] for r in before["applications.application"])
    waiting = Application.objects.get(state=State.SUBMITTED)
    review_services.application_approve(application_id=waiting.pk, reviewer=park)
    assert Determination.objects.get(application=waiting).serial == 3
    assert services.application_create(user=alice, facts=application_facts()).pk == newest + 1


def test_every_model_is_exported_or_excluded_with_a_reason():
    labels = {m._meta.label_lower for m in apps.get_models() if not m._meta.auto_created}
    assert labels == set(backup.EXPORTED) | set(backup.EXCLUDED)
    assert set(backup.EXPORTED).isdisjoint(backup.EXCLUDED)


# --- refusals --------------------------------------------------------------------------------------

def test_the_export_never_overwrites_a_file(exported):
    _state, out = exported
    before = out.read_bytes()
    with pytest.raises(CommandError, match="exists"):
        call_command("export_data", str(out))
    assert out.read_bytes() == before


def test_the_export_refuses_a_stored_file_that_no_longer_matches_its_row(frozen_now, tmp_path):
    build_state(frozen_now, full=False)
    pdf = Path(Determination.objects.get().pdf.path)
    pdf.write_bytes(flip_byte(pdf.read_bytes()))
    with pytest.raises(CommandError, match="missing or altered"):
        call_command("export_data", str(tmp_path / "out.tar.gz"))
    assert list(tmp_path.glob("*.tar.gz*")) == [] and list(tmp_path.glob(".out*")) == []


def test_an_import_into_a_database_with_data_is_refused(exported, settings, tmp_path):
    _state, out = exported
    before = database()
    settings.MEDIA_ROOT = tmp_path / "other-media"
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_data", str(out))
    assert database() == before
    assert not (tmp_path / "other-media").exists()


def test_an_archive_with_one_byte_changed_in_a_pdf_is_refused_with_nothing_imported(exported, settings, tmp_path):
    _state, out = exported
    tampered = rewrite(out, tmp_path / "tampered.tar.gz",
                       lambda name, data: flip_byte(data) if name.startswith("files/determinations/") else data)
    root = flush_to_empty(settings, tmp_path)
    with pytest.raises(CommandError, match="does not match its manifest") as refusal:
        call_command("import_data", str(tampered))
    assert "files/determinations/" in str(refusal.value)
    assert_nothing_imported(root)


def test_a_pdf_changed_with_its_manifest_is_refused_by_the_determinations_sha256(exported, settings, tmp_path):
    _state, out = exported

    def change(name, data):
        if name.startswith("files/determinations/"):
            change.pdf = name
            return flip_byte(data)
        if name == "manifest.json":
            return data  # rewritten below, once the new digest is known
        return data

    step = rewrite(out, tmp_path / "step.tar.gz", change)
    new_pdf = members(step)[change.pdf]

    def fix_manifest(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        for m in manifest["members"]:
            if m["name"] == change.pdf:
                m["sha256"], m["size"] = hashlib.sha256(new_pdf).hexdigest(), len(new_pdf)
        return json.dumps(manifest).encode()

    tampered = rewrite(step, tmp_path / "tampered.tar.gz", fix_manifest)
    root = flush_to_empty(settings, tmp_path)
    with pytest.raises(CommandError, match="SHA-256 recorded in the row"):
        call_command("import_data", str(tampered))
    assert_nothing_imported(root)


@pytest.mark.parametrize("mismatch", ["row count", "missing member", "extra member", "unsafe name"])
def test_an_archive_that_does_not_match_its_manifest_is_refused(exported, settings, tmp_path, mismatch):
    _state, out = exported

    def change(name, data):
        if mismatch == "row count" and name == "manifest.json":
            manifest = json.loads(data)
            manifest["row_counts"]["applications.transition"] += 1
            return json.dumps(manifest).encode()
        if mismatch == "missing member" and name == "data/audit.auditentry.jsonl":
            return None
        return data

    tampered = rewrite(out, tmp_path / "tampered.tar.gz", change)
    if mismatch in ("extra member", "unsafe name"):
        name = "files/attachments/extra.pdf" if mismatch == "extra member" else "files/../../escape.pdf"
        with tarfile.open(tampered, "r:gz") as src:
            kept = [(m, src.extractfile(m).read()) for m in src]
        with tarfile.open(tampered, "w:gz") as dst:
            for member, data in kept:
                dst.addfile(member, io.BytesIO(data))
            extra = tarfile.TarInfo(name)
            extra.size = 4
            dst.addfile(extra, io.BytesIO(b"%PDF"))
    root = flush_to_empty(settings, tmp_path)
    with pytest.raises(CommandError, match="import refused"):
        call_command("import_data", str(tampered))
    assert_nothing_imported(root)
    assert not (tmp_path / "escape.pdf").exists()


def test_a_different_file_already_at_a_path_refuses_the_import(exported, settings, tmp_path):
    _state, out = exported
    pdf_name = Determination.objects.get().pdf.name
    root = flush_to_empty(settings, tmp_path)
    in_the_way = root / pdf_name
    in_the_way.parent.mkdir(parents=True)
    in_the_way.write_bytes(b"%PDF-1.4 something else")
    with pytest.raises(CommandError, match="overwrite"):
        call_command("import_data", str(out))
    assert in_the_way.read_bytes() == b"%PDF-1.4 something else"
    assert not [label for label in backup.MUST_BE_EMPTY if apps.get_model(label)._base_manager.exists()]
    assert list(media(root)) == [pdf_name]


def test_an_identical_file_already_in_place_is_kept(exported, settings, tmp_path):
    _state, out = exported
    pdf_name = Determination.objects.get().pdf.name
    original = (Path(settings.MEDIA_ROOT) / pdf_name).read_bytes()
    root = flush_to_empty(settings, tmp_path)
    (root / pdf_name).parent.mkdir(parents=True)
    (root / pdf_name).write_bytes(original)
    call_command("import_data", str(out), stdout=io.StringIO())
    assert Determination.objects.get().pdf.name == pdf_name
    assert (root / pdf_name).read_bytes() == original


def test_a_failure_half_way_leaves_no_rows_and_no_files(exported, settings, tmp_path, monkeypatch):
    _state, out = exported
    root = flush_to_empty(settings, tmp_path)
    real_write = backup._write_file
    calls = []

    def write_then_fail(stored, source, written):
        calls.append(stored.name)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(stored, source, written)

    monkeypatch.setattr(backup, "_write_file", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        call_command("import_data", str(out))
    assert len(calls) == 3
    assert_nothing_imported(root)
    assert not [p for p in root.rglob("*") if p.is_file()]
