"""Backup and restore of a Weibao installation (`weibao backup FILE`, `weibao restore FILE`).

A backup is one gzipped tar holding everything an installation cannot recreate:

    database.sqlite3 | database.pgdump   the database, taken through SQLite's online backup
                                         API or `pg_dump --format=custom`
    media/…                              every uploaded file (MEDIA_ROOT)
    manifest.json                        written last: format and version, database vendor,
                                         creation time, Weibao version, applied migrations,
                                         size and SHA-256 of every other member

Signed documents (data, signature, PDF and their hashes) are rows of the database, so they
travel with it. The secret key (`WEIBAO_SECRET_KEY` or `var/secret_key`) is not included.

A restore checks everything before it changes anything: that the file is a Weibao backup of
this format, made on the same database vendor, by a Weibao that knows no migration this one
lacks; that every member is present with its hash; that the dump itself is readable. Only
then does it replace the database — in one transaction (SQLite: one backup step; PostgreSQL:
`psql --single-transaction`), so a failed restore leaves the database as it was — and then
the uploaded files, by renaming a fully written directory into place.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from weibao.core import clock
from weibao.core.errors import DomainError

FORMAT = "weibao-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1 << 20


class BackupFailed(RuntimeError):
    """The backup or restore could not be done (a tool is missing or failed, a disk error).
    The message says what state things are in."""


@dataclass(frozen=True)
class Restored:
    manifest: dict
    files: int
    pending_migrations: list[str]


# Backup -----------------------------------------------------------------------------------


def create_backup(path: Path | str) -> dict:
    """Write the database and MEDIA_ROOT to the archive `path` (replaced atomically when it
    exists; readable by its owner only). Returns the manifest."""
    vendor = _vendor()
    path = Path(path).expanduser().absolute()
    if not path.parent.is_dir():
        raise DomainError(
            f"目录 {path.parent} 不存在（directory does not exist）", code="no_directory"
        )
    applied = _applied_migrations()
    try:
        with tempfile.TemporaryDirectory(prefix=".weibao-backup-", dir=path.parent) as work:
            archive = Path(work) / "archive.tar.gz"
            manifest = _write_archive(archive, vendor=vendor, applied=applied)
            archive.chmod(0o600)
            os.replace(archive, path)
    except OSError as exc:
        raise BackupFailed(
            f"写备份失败，没有写出备份（backup failed, nothing written）：{exc}"
        ) from exc
    return manifest


def _write_archive(archive: Path, *, vendor: str, applied: list[str]) -> dict:
    database = DATABASE_MEMBER[vendor]
    dump = archive.with_name(database)
    if vendor == "sqlite":
        _dump_sqlite(dump)
    else:
        _dump_postgresql(dump)
    files: dict[str, dict] = {}
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        files[database] = _add_file(tar, dump, database)
        dump.unlink()
        for file, name in _media_files(Path(settings.MEDIA_ROOT)):
            files[name] = _add_file(tar, file, name)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": clock.now().isoformat(),
            "weibao_version": _weibao_version(),
            "database": {"vendor": vendor, "member": database},
            "migrations": applied,
            "files": files,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(clock.now().timestamp()), 0o600
        tar.addfile(info, io.BytesIO(data))
    return manifest


def _vendor() -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise DomainError(
            f"不支持备份 {connection.vendor} 数据库（only SQLite and PostgreSQL）",
            code="unsupported_database",
        )
    return connection.vendor


def _applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def _dump_sqlite(dest: Path) -> None:
    """A consistent copy through SQLite's online backup API (writers may go on meanwhile),
    turned into one self-contained file (no -wal beside it)."""
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        (result,) = target.execute("PRAGMA quick_check").fetchone()
    finally:
        target.close()
    if result != "ok":
        raise BackupFailed(f"数据库副本校验失败（quick_check: {result}）")


def _dump_postgresql(dest: Path) -> None:
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", dest],
        failure="pg_dump 失败，没有写出备份（pg_dump failed, no backup written）",
    )


class _HashingReader:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.raw.read(n)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


def _add_file(tar: tarfile.TarFile, file: Path, name: str) -> dict:
    with file.open("rb") as raw:
        stat = os.fstat(raw.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _HashingReader(raw)
        tar.addfile(info, reader)
    return {"size": reader.size, "sha256": reader.sha256.hexdigest()}


def _media_files(root: Path):
    if not root.is_dir():
        return
    for file in sorted(root.rglob("*")):
        if file.is_file() and not file.is_symlink():
            yield file, f"{MEDIA}/{file.relative_to(root).as_posix()}"


def _weibao_version() -> str:
    try:
        return metadata.version("weibao")
    except metadata.PackageNotFoundError:
        return "unknown"


# Restore ----------------------------------------------------------------------------------


def read_manifest(path: Path | str) -> dict:
    """The manifest of the backup at `path`, or a refusal when it is not a Weibao backup of
    a format this Weibao reads."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"文件 {path} 不存在（no such file）", code="no_file")
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest = json.load(tar.extractfile(tar.getmember(MANIFEST)))
    except (tarfile.TarError, OSError, EOFError, zlib.error, KeyError, ValueError) as exc:
        raise _not_a_backup(path) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_backup(path)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise DomainError(
            f"备份格式版本 {manifest.get('format_version')} 不受支持，本程序读取版本 "
            f"{FORMAT_VERSION}（unsupported backup format version）",
            code="unsupported_format",
        )
    return manifest


def _not_a_backup(path: Path) -> DomainError:
    return DomainError(f"{path} 不是 Weibao 备份文件（not a Weibao backup）", code="not_a_backup")


def target_holds_data() -> bool:
    """Whether restoring here would overwrite someone's work: the database has user accounts,
    or MEDIA_ROOT holds files. (A freshly migrated database holds only seed rows.)"""
    User = get_user_model()
    tables = connection.introspection.table_names()
    if User._meta.db_table in tables and User._base_manager.exists():
        return True
    return next(_media_files(Path(settings.MEDIA_ROOT)), None) is not None


def restore_backup(path: Path | str, *, force: bool = False) -> Restored:
    """Replace this installation's database and uploaded files with the backup at `path`."""
    path = Path(path)
    manifest = read_manifest(path)
    vendor = _vendor()
    source_vendor = manifest.get("database", {}).get("vendor")
    if source_vendor != vendor:
        raise DomainError(
            f"备份来自 {VENDOR_NAMES.get(source_vendor, source_vendor)}，当前数据库是 "
            f"{VENDOR_NAMES[vendor]}，不能恢复（backup of a {source_vendor} database, this is "
            f"{vendor}）",
            code="vendor_mismatch",
        )
    known = _known_migrations()
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise DomainError(
            f"备份由更新版本的 Weibao（{manifest.get('weibao_version')}）生成，请先升级"
            f"（the backup has migrations this version lacks: {', '.join(unknown[:5])}）",
            code="newer_backup",
        )
    if connection.in_atomic_block:
        raise DomainError("不能在事务中恢复（restore cannot run inside a transaction）")
    if not force and target_holds_data():
        raise DomainError(
            "当前数据库或上传文件目录中已有数据；确认要覆盖请加 --force"
            "（the target holds data: add --force to replace it）",
            code="target_not_empty",
        )

    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".weibao-restore-", dir=media_root.parent))
    keep_staging = False
    try:
        database = staging / manifest["database"]["member"]
        try:
            files = _extract(path, manifest, staging)
        except OSError as exc:
            raise BackupFailed(
                f"解包失败，未做任何改动（could not unpack, nothing changed）：{exc}"
            ) from exc
        if vendor == "sqlite":
            _restore_sqlite(database)
        else:
            _restore_postgresql(database, staging)
        ContentType.objects.clear_cache()
        try:
            _replace_media(staging / MEDIA, media_root)
        except OSError as exc:
            keep_staging = True
            raise BackupFailed(
                f"数据库已恢复，但上传文件未能放入 {media_root}：{exc}；备份中的文件在 "
                f"{staging / MEDIA}，请手动移入（database restored, files left in the "
                "staging directory）"
            ) from exc
    finally:
        if not keep_staging:
            shutil.rmtree(staging, ignore_errors=True)
    pending = sorted(known - set(_applied_migrations()))
    return Restored(manifest=manifest, files=files, pending_migrations=pending)


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _extract(path: Path, manifest: dict, staging: Path) -> int:
    """Write every member to `staging`, checking names, sizes and hashes against the
    manifest. Returns the number of uploaded files."""
    expected = manifest.get("files")
    database = manifest.get("database", {}).get("member")
    if not isinstance(expected, dict) or database not in expected:
        raise _damaged(path, "manifest")
    seen = set()
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or not member.isfile() or member.name in seen:
                    raise _damaged(path, member.name)
                target = staging / _safe_relative(member.name, database, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with tar.extractfile(member) as source, target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                want = expected[member.name]
                if digest.hexdigest() != want.get("sha256") or size != want.get("size"):
                    raise _damaged(path, member.name)
                seen.add(member.name)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _damaged(path, str(exc)) from exc
    missing = set(expected) - seen
    if missing:
        raise _damaged(path, sorted(missing)[0])
    return sum(1 for name in seen if name != database)


def _safe_relative(name: str, database: str, path: Path) -> PurePosixPath:
    relative = PurePosixPath(name)
    inside_media = relative.parts[:1] == (MEDIA,) and len(relative.parts) > 1
    if relative.is_absolute() or ".." in relative.parts or not (name == database or inside_media):
        raise _damaged(path, name)
    return relative


def _damaged(path: Path, what: str) -> DomainError:
    return DomainError(
        f"备份文件 {path} 已损坏或不完整（{what}），未做任何改动"
        "（damaged backup, nothing changed）",
        code="damaged_backup",
    )


def _restore_sqlite(database: Path) -> None:
    """Copy the backup into the live database in one backup step: one write transaction,
    so the database is either entirely the backup or unchanged."""
    source = sqlite3.connect(database)
    try:
        (result,) = source.execute("PRAGMA quick_check").fetchone()
        if result != "ok":
            raise DomainError(
                f"备份中的数据库已损坏（quick_check: {result}），未做任何改动",
                code="damaged_backup",
            )
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        except sqlite3.Error as exc:
            raise BackupFailed(
                f"恢复数据库失败，数据库未改变（restore failed, database unchanged）：{exc}"
            ) from exc
    finally:
        source.close()
    connection.close()  # the next query reads the restored schema afresh


def _restore_postgresql(dump: Path, staging: Path) -> None:
    """Turn the custom-format dump into SQL (checking it is readable), then run it after
    emptying the schema, all in one transaction: on any error PostgreSQL rolls it back."""
    script = staging / "restore.sql"
    _run(
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--file", script, dump],
        failure="备份中的数据库转储无法读取，未做任何改动（unreadable dump, nothing changed）",
        refusal=True,
    )
    prelude = staging / "prelude.sql"
    prelude.write_text("DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
    connection.close()  # our own session must not hold anything the restore drops
    psql = [_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
    _run(
        [*psql, "-f", prelude, "-f", script],
        failure="恢复数据库失败，数据库未改变；请先停止 weibao serve 和 worker"
        "（restore failed and was rolled back, the database is unchanged）",
        options="-c client_min_messages=warning -c lock_timeout=30s",
    )


def _replace_media(staged: Path, media_root: Path) -> None:
    """Put the backup's files in place of MEDIA_ROOT by renames (same file system), so the
    directory is never half old, half new."""
    staged.mkdir(exist_ok=True)  # a backup without uploads restores an empty directory
    previous = None
    if media_root.exists():
        previous = media_root.with_name(f".{media_root.name}-before-restore")
        shutil.rmtree(previous, ignore_errors=True)
        os.replace(media_root, previous)
    try:
        os.replace(staged, media_root)
    except OSError:
        if previous is not None:
            os.replace(previous, media_root)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"找不到 {name}：请安装 PostgreSQL 客户端，主版本不低于服务器（Debian: apt-get "
            f"install postgresql-client）（{name} not found on PATH）"
        )
    return found


def _run(argv: list, *, failure: str, refusal: bool = False, options: str = "") -> None:
    db = connection.settings_dict
    env = dict(os.environ)
    for var, value in (
        ("PGDATABASE", db.get("NAME")),
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGSSLMODE", db.get("OPTIONS", {}).get("sslmode")),
        ("PGOPTIONS", options),
    ):
        if value:
            env[var] = str(value)
    result = subprocess.run(
        [str(arg) for arg in argv], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip()[-2000:]
        if refusal:
            raise DomainError(f"{failure}\n{detail}", code="damaged_backup")
        raise BackupFailed(f"{failure}\n{detail}")
