"""Export and restore (`export_data` / `import_data`): the service's records and stored files in one
tar.gz with a manifest of SHA-256 sums.

Archive layout (format 1):

    manifest.json                       first member: versions, counts, every other member's size and SHA-256
    data/<app_label>.<model>.jsonl      Django's JSON Lines serializer, one row a line, by primary key
    files/<storage path>                every attachment and determination PDF, at its storage name

The export reads one snapshot (a single transaction; REPEATABLE READ, READ ONLY on PostgreSQL).
The import restores into an empty, migrated database: it checks every member against the manifest and
every file against the SHA-256 its row records before writing anything, then writes the rows with
their primary keys and the files in one transaction; on any error it rolls back and removes the
files it wrote.

Not exported, on purpose: API tokens and sessions (credentials: users sign in again and get new
tokens), the axes lockout counters (transient; failed logins are in the audit log), content types
and permissions (created by `migrate`, referenced by natural key).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from measures.version import RULES_VERSION

FORMAT = "haidong-policy-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024

# In restore order: whatever a row refers to comes before it.
EXPORTED = (
    "auth.group",
    "accounts.enterprise",
    "accounts.user",
    "inbox.message",
    "matching.profile",
    "matching.consent",
    "applications.application",
    "applications.evaluation",
    "applications.transition",
    "applications.attachment",
    "applications.grant",
    "applications.determination",
    "applications.numberseries",
    "applications.notice",
    "applications.objection",
    "funds.payment",
    "funds.budget",
    "audit.auditentry",
    "admin.logentry",
    "jobs.jobfailure",
)
# Models whose foreign keys to content types and permissions are written as natural keys (their ids
# are the target database's own); every other reference stays a plain primary key.
NATURAL_KEYS = {"auth.group", "accounts.user", "admin.logentry"}
EXCLUDED = {
    "authtoken.token": "API tokens are credentials: users request new ones after a restore",
    "authtoken.tokenproxy": "a proxy of authtoken.token",
    "sessions.session": "sessions are credentials: users sign in again",
    "axes.accessattempt": "transient lockout counters (failed logins are in the audit log)",
    "axes.accessfailurelog": "transient lockout records",
    "axes.accesslog": "transient login records",
    "axes.accessattemptexpiration": "transient lockout expiry times",
    "contenttypes.contenttype": "created by migrate; referenced by natural key",
    "auth.permission": "created by migrate; referenced by natural key",
    "matching.screening": "derived from the profiles: the next screening recomputes it (its messages are exported, "
                          "so nothing already told is told again)",
}
# The stored files: (model, file field, the row's SHA-256 field, the row's size field or None).
FILE_FIELDS = (
    ("applications.attachment", "file", "sha256", "size"),
    ("applications.determination", "pdf", "sha256", None),
)
# A restore is refused when any of these has a row: the target must be freshly migrated.
MUST_BE_EMPTY = (*EXPORTED, "authtoken.token")


class BackupError(Exception):
    """The export or import is refused; nothing was written."""

    def __init__(self, message: str, problems: Iterable[str] = ()):
        self.problems = list(problems)
        shown = self.problems[:20]
        more = f"\n  … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(message + "".join(f"\n  {p}" for p in shown) + more)


def model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def data_member(label: str) -> str:
    return f"data/{label}.jsonl"


def file_member(name: str) -> str:
    return f"files/{name}"


def storage_of(label: str, field_name: str) -> Storage:
    return model(label)._meta.get_field(field_name).storage


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


def _serializer():
    base = serializers.get_serializer("jsonl")

    class Serializer(base):
        def handle_field(self, obj, field):
            if not field.generated:  # computed by the database (Application.in_queue): never written
                super().handle_field(obj, field)

    return Serializer()


def sha256_file(path: Path) -> tuple[int, str]:
    with open(path, "rb") as stream:
        return sha256_stream(stream)


def sha256_stream(stream) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def sha256_stored(storage: Storage, name: str) -> tuple[int, str] | None:
    """Size and SHA-256 of a stored file, read through the storage API (the file system or object
    storage alike); None when there is no such file."""
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as stream:
        return sha256_stream(stream)


def applied_migrations(using: str) -> dict[str, list[str]]:
    labels = sorted({label.split(".")[0] for label in EXPORTED})
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return {app: sorted(name for a, name in applied if a == app) for app in labels}


# --- export --------------------------------------------------------------------------------------

@dataclass
class StoredFile:
    name: str  # storage name, e.g. determinations/2025/….pdf
    sha256: str
    size: int
    storage: Storage


@dataclass
class ExportResult:
    path: Path
    row_counts: dict[str, int]
    files: int
    size: int


def export_data(out: str | os.PathLike, *, using: str = "default") -> ExportResult:
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} exists: an export never overwrites a file")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} is not a directory")
    with tempfile.TemporaryDirectory(prefix="export-") as staging:
        staging = Path(staging)
        row_counts, stored, manifest_head = _snapshot(staging, using)
        files = _check_files(stored)
        members = []
        for label in EXPORTED:
            size, digest = sha256_file(staging / data_member(label))
            members.append({"name": data_member(label), "size": size, "sha256": digest})
        members += [{"name": file_member(f.name), "size": f.size, "sha256": f.sha256} for f in files]
        manifest = {**manifest_head, "row_counts": row_counts, "file_count": len(files), "members": members}
        fd, partial = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as raw:
                _write_archive(raw, manifest, staging, files)
                raw.flush()
                os.fsync(raw.fileno())
            os.link(partial, out)  # fails if OUT appeared meanwhile: never overwritten
        except FileExistsError:
            raise BackupError(f"{out} exists: an export never overwrites a file") from None
        finally:
            os.unlink(partial)
    return ExportResult(out, row_counts, len(files), out.stat().st_size)


def _snapshot(staging: Path, using: str) -> tuple[dict[str, int], list[tuple[str, str, int | None]], dict]:
    """Every exported table, serialized from one transaction; the stored files its rows name."""
    connection = connections[using]
    (staging / "data").mkdir()
    row_counts: dict[str, int] = {}
    stored: list[tuple[str, str, int | None]] = []
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the first statement of the transaction
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        exported_at = timezone.now()
        for label in EXPORTED:
            cls = model(label)
            queryset = cls._base_manager.using(using).order_by("pk")
            m2m = [f.name for f in cls._meta.local_many_to_many]
            if m2m:
                queryset = queryset.prefetch_related(*m2m)
            with open(staging / data_member(label), "w", encoding="utf-8", newline="\n") as stream:
                counter = _Counter(queryset.iterator(chunk_size=2000))
                _serializer().serialize(counter, stream=stream, cls=ExactJSONEncoder,
                                        use_natural_foreign_keys=label in NATURAL_KEYS)
            row_counts[label] = counter.count
        for label, name_field, sha_field, size_field in FILE_FIELDS:
            columns = [name_field, sha_field] + ([size_field] if size_field else [])
            for row in model(label)._base_manager.using(using).order_by("pk").values_list(*columns):
                if row[0]:
                    stored.append((label, *row) if size_field else (label, *row, None))
        head = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": exported_at.isoformat(),
            "django_version": django.get_version(),
            "rules_version": RULES_VERSION,
            "database_vendor": connection.vendor,
            "migrations": applied_migrations(using),
            "models": list(EXPORTED),
            "excluded": EXCLUDED,
        }
    return row_counts, stored, head


class _Counter:
    def __init__(self, rows: Iterator[Any]):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _check_files(stored: list[tuple[str, str, str, int | None]]) -> list[StoredFile]:
    """Each stored file, present and matching the SHA-256 (and size) its row recorded: an archive
    that could not be restored is not written."""
    files, problems, seen = [], [], set()
    for label, name, sha, size in stored:
        if name in seen:
            problems.append(f"{name}: named by two rows")
            continue
        seen.add(name)
        storage = storage_of(label, next(f for m, f, _s, _z in FILE_FIELDS if m == label))
        found = sha256_stored(storage, name)
        if found is None:
            problems.append(f"{name}: missing ({label})")
            continue
        actual_size, actual_sha = found
        if actual_sha != sha or (size is not None and actual_size != size):
            problems.append(f"{name}: content does not match its {label} row's SHA-256")
            continue
        files.append(StoredFile(name, actual_sha, actual_size, storage))
    if problems:
        raise BackupError("export refused: stored files are missing or altered", problems)
    return files


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.type = size, mtime, 0o644, tarfile.REGTYPE
    return info


def _write_archive(raw, manifest: dict, staging: Path, files: list[StoredFile]) -> None:
    mtime = timezone.now().timestamp()
    body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False).encode() + b"\n"
    with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_tarinfo(MANIFEST, len(body), mtime), io.BytesIO(body))
        for label in EXPORTED:
            path = staging / data_member(label)
            with open(path, "rb") as stream:
                tar.addfile(_tarinfo(data_member(label), path.stat().st_size, mtime), stream)
        for stored in files:
            with stored.storage.open(stored.name, "rb") as stream:
                reader = _HashingReader(stream)
                tar.addfile(_tarinfo(file_member(stored.name), stored.size, mtime), reader)
            if reader.digest.hexdigest() != stored.sha256:
                raise BackupError(f"{stored.name} changed while it was being exported")


class _HashingReader:
    def __init__(self, stream):
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        return chunk


# --- import --------------------------------------------------------------------------------------

@dataclass
class ImportResult:
    row_counts: dict[str, int]
    files_written: int
    files_present: int
    manifest: dict = field(repr=False)


def import_data(archive: str | os.PathLike, *, using: str = "default") -> ImportResult:
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file")
    with tempfile.TemporaryDirectory(prefix="import-") as staging:
        staging = Path(staging)
        manifest, staged = _unpack(archive, staging)
        files = _verify(manifest, staged)
        _check_target(manifest, using)
        to_write, present = _check_media(files)
        row_counts = _restore(manifest, staged, to_write, using)
    return ImportResult(row_counts, len(to_write), len(present), manifest)


def _safe_member_name(name: str) -> bool:
    if not name or name.startswith("/") or "\\" in name or "\0" in name:
        return False
    normal = posixpath.normpath(name)
    return normal == name and not normal.startswith("../") and normal != ".." and (
        name == MANIFEST or name.startswith(("data/", "files/")))


def _unpack(archive: Path, staging: Path) -> tuple[dict, dict[str, tuple[Path, int, str]]]:
    """Copy every member out into numbered staging files, hashing them on the way; only regular
    files with plain relative names are accepted."""
    staged: dict[str, tuple[Path, int, str]] = {}
    problems = []
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for index, member in enumerate(tar):
                if not member.isfile():
                    problems.append(f"{member.name}: not a regular file")
                    continue
                if not _safe_member_name(member.name):
                    problems.append(f"{member.name}: not an acceptable member name")
                    continue
                if member.name in staged:
                    problems.append(f"{member.name}: appears twice")
                    continue
                target = staging / f"m{index}"
                digest, size = hashlib.sha256(), 0
                source = tar.extractfile(member)
                with open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                staged[member.name] = (target, size, digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} is not a readable tar.gz archive: {exc}") from exc
    if problems:
        raise BackupError("import refused: the archive holds unexpected members", problems)
    if MANIFEST not in staged:
        raise BackupError(f"import refused: the archive has no {MANIFEST}")
    try:
        manifest = json.loads(staged[MANIFEST][0].read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"import refused: {MANIFEST} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"import refused: not a {FORMAT} archive")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"import refused: format version {manifest.get('format_version')!r}, "
                          f"this release reads {FORMAT_VERSION}")
    return manifest, staged


def _verify(manifest: dict, staged: dict[str, tuple[Path, int, str]]) -> list[tuple[StoredFile, Path]]:
    """Every member exactly as the manifest lists it; the row counts; every stored file matching the
    SHA-256 (and size) its row records, and no file without a row. Returns the files to restore."""
    problems = []
    try:
        listed = {m["name"]: (int(m["size"]), str(m["sha256"])) for m in manifest["members"]}
        if len(listed) != len(manifest["members"]):
            problems.append("the manifest lists a member twice")
        models_ = list(manifest["models"])
        row_counts = {str(k): int(v) for k, v in manifest["row_counts"].items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(f"import refused: {MANIFEST} is incomplete: {exc!r}") from exc
    present = set(staged) - {MANIFEST}
    problems += [f"{name}: in the archive but not in the manifest" for name in sorted(present - set(listed))]
    problems += [f"{name}: in the manifest but not in the archive" for name in sorted(set(listed) - present)]
    for name in sorted(present & set(listed)):
        _path, size, digest = staged[name]
        if (size, digest) != listed[name]:
            problems.append(f"{name}: size or SHA-256 differs from the manifest")
    if problems:
        raise BackupError("import refused: the archive does not match its manifest", problems)

    if models_ != list(EXPORTED):
        raise BackupError("import refused: the archive's tables are not this release's",
                          [f"archive: {', '.join(models_)}", f"expected: {', '.join(EXPORTED)}"])
    for label in EXPORTED:
        member = data_member(label)
        if member not in staged:
            problems.append(f"{member}: missing")
            continue
        with open(staged[member][0], encoding="utf-8") as stream:
            lines = sum(1 for line in stream if line.strip())
        if lines != row_counts.get(label):
            problems.append(f"{member}: {lines} rows, the manifest says {row_counts.get(label)}")
    if problems:
        raise BackupError("import refused: the data does not match the manifest", problems)

    files: list[tuple[StoredFile, Path]] = []
    named: set[str] = set()
    for label, name_field, sha_field, size_field in FILE_FIELDS:
        for row in _raw_rows(staged[data_member(label)][0]):
            values = row.get("fields", {})
            name = values.get(name_field) or ""
            if not name:
                continue
            where = f"{label} {row.get('pk')}: {name}"
            if name in named:
                problems.append(f"{where}: named by two rows")
                continue
            named.add(name)
            member = file_member(name)
            if not _safe_member_name(member) or member not in staged:
                problems.append(f"{where}: its file is not in the archive")
                continue
            path, size, digest = staged[member]
            if digest != values.get(sha_field) or (size_field and size != values.get(size_field)):
                problems.append(f"{where}: the file does not match the SHA-256 recorded in the row")
                continue
            storage = storage_of(label, name_field)
            files.append((StoredFile(name, digest, size, storage), path))
    extra = sorted(n for n in present if n.startswith("files/") and n.removeprefix("files/") not in named)
    problems += [f"{name}: no row names this file" for name in extra]
    if problems:
        raise BackupError("import refused: stored files do not match their rows", problems)
    return files


def _raw_rows(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise BackupError(f"import refused: {path.name} line {number} is not JSON") from exc


def _nonempty(using: str) -> list[str]:
    return [label for label in MUST_BE_EMPTY if model(label)._base_manager.using(using).exists()]


def _check_target(manifest: dict, using: str) -> None:
    nonempty = _nonempty(using)
    if nonempty:
        raise BackupError("import refused: the database is not empty (restore into a freshly migrated one)",
                          [f"{label} has rows" for label in nonempty])
    archive = manifest.get("migrations") or {}
    here = applied_migrations(using)
    differing = [f"{app}: archive {archive.get(app, [])[-1:]} database {here.get(app, [])[-1:]}"
                 for app in sorted(set(archive) | set(here)) if archive.get(app) != here.get(app)]
    if differing:
        raise BackupError("import refused: the database schema differs from the exporting one (restore with "
                          "the release that exported, then migrate)", differing)


def _check_media(files: list[tuple[StoredFile, Path]]) -> tuple[list[tuple[StoredFile, Path]], list[StoredFile]]:
    """Files to write, and files already there byte for byte; another file at one of the paths
    refuses the import."""
    to_write, present, problems = [], [], []
    for stored, source in files:
        found = sha256_stored(stored.storage, stored.name)
        if found is not None:
            if found == (stored.size, stored.sha256):
                present.append(stored)
            else:
                problems.append(f"{stored.name}: a different file is already there")
        else:
            to_write.append((stored, source))
    if problems:
        raise BackupError("import refused: it would overwrite files", problems)
    return to_write, present


def _restore(manifest: dict, staged: dict[str, tuple[Path, int, str]], files: list[tuple[StoredFile, Path]],
             using: str) -> dict[str, int]:
    connection = connections[using]
    written: list[StoredFile] = []
    try:
        with transaction.atomic(using=using):
            nonempty = _nonempty(using)  # again, now inside the transaction
            if nonempty:
                raise BackupError("import refused: the database is not empty", [f"{n} has rows" for n in nonempty])
            row_counts = {label: _load(label, staged[data_member(label)][0], using) for label in EXPORTED}
            exported = [model(label) for label in EXPORTED]
            connection.check_constraints(table_names=[m._meta.db_table for m in exported])
            with connection.cursor() as cursor:  # what `sqlsequencereset` prints (nothing on SQLite)
                for sql in connection.ops.sequence_reset_sql(no_style(), exported):
                    cursor.execute(sql)
            if row_counts != manifest["row_counts"]:
                raise BackupError("import refused: rows written differ from the manifest's counts")
            for stored, source in files:
                _write_file(stored, source, written)
    except BaseException:
        for stored in reversed(written):
            with contextlib.suppress(OSError):
                stored.storage.delete(stored.name)
            if isinstance(stored.storage, FileSystemStorage):
                _remove_empty_parents(Path(stored.storage.path(stored.name)).parent, Path(stored.storage.location))
        raise
    return row_counts


def _load(label: str, path: Path, using: str) -> int:
    """Insert the rows as they were: primary keys kept, raw (no auto_now, no signals), generated
    columns left to the database, in batches."""
    connection = connections[using]
    cls = model(label)
    fields = [f for f in cls._meta.local_concrete_fields if not f.generated]
    m2m = list(cls._meta.local_many_to_many)
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, [None] * 500)))
    count, batch, links = 0, [], []
    with open(path, encoding="utf-8") as stream:
        for item in serializers.deserialize("jsonl", stream, using=using):
            if type(item.object) is not cls:
                raise BackupError(f"import refused: {path.name} holds a {item.object._meta.label_lower} row")
            if item.deferred_fields:
                raise BackupError(f"import refused: {label} {item.object.pk} refers to rows that do not exist")
            batch.append(item.object)
            links.append(item.m2m_data or {})
            if len(batch) >= size:
                count += _insert(cls, fields, m2m, batch, links, using)
                batch, links = [], []
    if batch:
        count += _insert(cls, fields, m2m, batch, links, using)
    return count


def _insert(cls, fields, m2m, objs: list, links: list[dict], using: str) -> int:
    # Model.save_base(raw=True) does the same, one row at a time.
    cls._base_manager.using(using)._insert(objs, fields=fields, raw=True, using=using)
    for relation in m2m:
        through = relation.remote_field.through
        source = through._meta.get_field(relation.m2m_field_name()).attname
        target = through._meta.get_field(relation.m2m_reverse_field_name()).attname
        through._base_manager.using(using).bulk_create(
            [through(**{source: obj.pk, target: pk}) for obj, data in zip(objs, links, strict=True)
             for pk in data.get(relation.name, ())])
    return len(objs)


def _write_file(stored: StoredFile, source: Path, written: list[StoredFile]) -> None:
    """Through the storage API, as the service writes (on the file system: flushed, linked, never
    over another file; on object storage: confirmed), then read back and compared."""
    with open(source, "rb") as src:
        saved = stored.storage.save(stored.name, File(src, name=stored.name))
    written.append(StoredFile(saved, stored.sha256, stored.size, stored.storage))
    if saved != stored.name:
        raise BackupError(f"{stored.name}: another file appeared at that name during the import")
    if sha256_stored(stored.storage, stored.name) != (stored.size, stored.sha256):
        raise BackupError(f"{stored.name}: written file does not match its SHA-256")


def _remove_empty_parents(directory: Path, root: Path) -> None:
    root = root.resolve()
    directory = directory.resolve()
    while directory != root and root in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent
