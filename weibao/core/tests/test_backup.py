"""`weibao backup FILE` / `weibao restore FILE`: a round trip gives back every table's rows,
every uploaded file and every signed document with its hashes, on the database the suite
runs on (SQLite or PostgreSQL); a restore that is refused or fails changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from weibao.accounts.choices import Role
from weibao.accounts.models import RoleAssignment
from weibao.documents import kinds
from weibao.documents import services as documents
from weibao.documents.models import SignedDocument
from weibao.documents.testing import sample_signature
from weibao.documents.tests.kinds import TEST_KIND
from weibao.library import services as library
from weibao.notifications.models import Notification
from weibao.sla.models import Clock
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _everything() -> dict[str, list[str]]:
    """Every row of every table, as sorted text: two databases with equal fingerprints
    hold the same data."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
    return tables


@pytest.fixture(autouse=True)
def _test_kind_registered():
    """The signed document backed up is of the documents tests' kind."""
    with kinds.registered(TEST_KIND):
        yield


def _signed_document(world) -> SignedDocument:
    RoleAssignment.objects.get_or_create(user=world.provider_user, role=Role.ENGINEER)
    world.provider_user.__dict__.pop("role_codes", None)
    world.provider_user.__dict__.pop("_role_scopes", None)
    doc = documents.create_document(
        kind=TEST_KIND.code,
        title="溧水端局 FSU 故障处理",
        customer=world.customer_a,
        site=world.site_a,
        data={"phenomenon": "动环数据中断", "actions": "更换 FSU 电源模块", "result": "fixed"},
        actor=world.provider_user,
    )
    doc = documents.request_signature(doc, actor=world.provider_user)
    return documents.sign_document(
        doc,
        signer_name="孔工",
        signer_role="responsible",
        signature=sample_signature(),
        actor=world.user_a,
    )


def _upload(world, title: str, content: bytes):
    return library.add_document(
        title=title,
        category="manual",
        file=SimpleUploadedFile(f"{title}.txt", content),
        actor=world.admin,
    )


def _seals(doc: SignedDocument) -> tuple:
    doc = SignedDocument.objects.get(pk=doc.pk)
    return (
        doc.content_hash,
        doc.pdf_sha256,
        hashlib.sha256(bytes(doc.pdf)).hexdigest(),
        documents.verify_document(doc),
    )


def _refused(*args) -> CommandError:
    with pytest.raises(CommandError) as refusal:
        call_command("restore", *args, stdout=io.StringIO())
    assert refusal.value.returncode == 2, refusal.value
    return refusal.value


def test_round_trip_gives_back_every_row_file_and_signed_document(
    desk, world, media_root, tmp_path
):
    # given: tickets with clocks and outbox rows, a signed document, an uploaded file
    l1 = desk.open(level="L1")
    desk.open(level="L2")
    assert Clock.objects.filter(ticket=l1).count() == 3
    assert Notification.objects.filter(ref_type="ticket", ref_id=str(l1.pk)).exists()
    doc = _signed_document(world)
    manual = _upload(world, "维护手册", "第一章 电源".encode())
    before, seals, manual_path = _everything(), _seals(doc), media_root / manual.file.name
    assert seals[0] and seals[1] == seals[2] and seals[3] is True

    archive = tmp_path / "nightly.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "备份已写入" in out.getvalue()
    assert archive.stat().st_mode & 0o077 == 0  # password hashes and tokens inside

    # when: work goes on, then the backup is restored over it
    extra = desk.open(level="L3")
    Ticket.objects.filter(pk=l1.pk).update(fault_phenomenon="被改动")
    SignedDocument.objects.filter(pk=doc.pk).update(title="被篡改")
    manual_path.write_bytes(b"overwritten")
    _upload(world, "新文件", b"after the backup")
    assert _everything() != before

    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)

    # then: every table, every signed document's hash, every file as it was
    after = _everything()
    assert set(after) == set(before)
    assert [t for t in before if after[t] != before[t]] == []
    assert _seals(doc) == seals
    assert manual_path.read_bytes() == "第一章 电源".encode()
    assert sorted(p.name for p in (media_root / "library").iterdir()) == [manual_path.name]
    assert not Ticket.objects.filter(pk=extra.pk).exists()
    assert "已恢复" in out.getvalue()
    # and work goes on: new rows get fresh ids (the sequences came back too)
    desk.open(level="L3")
    assert Ticket.objects.count() == 3


def test_the_archive_is_described_by_its_manifest(desk, world, media_root, tmp_path):
    desk.open(level="L2")
    manual = _upload(world, "巡检规范", b"spec")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        upload = tar.extractfile(f"media/{manual.file.name}").read()
    assert manifest["format"] == "weibao-backup" and manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert "tickets.0001_initial" in manifest["migrations"]
    assert set(names) == {*manifest["files"], "manifest.json"}
    assert manifest["files"][f"media/{manual.file.name}"] == {
        "size": 4,
        "sha256": hashlib.sha256(b"spec").hexdigest(),
    }
    assert upload == b"spec"


def test_restore_refuses_a_file_that_is_not_a_backup(desk, tmp_path):
    ticket = desk.open(level="L3")
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    assert "不是 Weibao 备份" in str(_refused(str(text)))

    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.add(text, arcname="notes.txt")
    assert "不是 Weibao 备份" in str(_refused(str(other), "--force"))
    assert "不存在" in str(_refused(str(tmp_path / "missing.tar.gz")))
    assert list(Ticket.objects.values_list("pk", flat=True)) == [ticket.pk]


def _rewrite(source: Path, dest: Path, *, manifest=None, member=None) -> Path:
    """A copy of the archive with the manifest edited by `manifest(dict)` or a member's
    bytes replaced by `member(name, bytes)`."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(dest, "w:gz") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                edited = json.loads(data)
                manifest(edited)
                data = json.dumps(edited).encode()
            elif member:
                data = member(info.name, data)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return dest


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"vendor": "other"}, "不能恢复"),
        ({"migrations": ["tickets.9999_from_the_future"]}, "更新版本"),
        ({"format_version": 99}, "不受支持"),
    ],
    ids=["other-vendor", "newer-weibao", "newer-format"],
)
def test_restore_refuses_a_backup_it_cannot_take_and_changes_nothing(
    desk, world, media_root, tmp_path, edit, message
):
    desk.open(level="L2")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    def change(manifest):
        if "vendor" in edit:
            manifest["database"]["vendor"] = edit["vendor"]
        else:
            manifest.update(edit)

    edited = _rewrite(archive, tmp_path / "edited.tar.gz", manifest=change)
    desk.open(level="L3")
    before = _everything()
    assert message in str(_refused(str(edited), "--force"))
    assert _everything() == before


def test_restore_over_data_needs_force_and_a_damaged_backup_changes_nothing(
    desk, world, media_root, tmp_path
):
    _upload(world, "手册", b"original")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    desk.open(level="L3")  # work after the backup
    before, files = _everything(), sorted(p.name for p in media_root.rglob("*"))

    assert "--force" in str(_refused(str(archive)))
    assert _everything() == before

    damaged = _rewrite(
        archive,
        tmp_path / "damaged.tar.gz",
        member=lambda name, data: b"tampered" if name.startswith("media/") else data,
    )
    assert "已损坏" in str(_refused(str(damaged), "--force"))
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _refused(str(truncated), "--force")

    assert _everything() == before
    assert sorted(p.name for p in media_root.rglob("*")) == files
    assert not list(media_root.parent.glob(".weibao-restore-*"))  # no staging left behind


def test_restore_into_an_empty_installation_needs_no_force(desk, world, media_root, tmp_path):
    desk.open(level="L2")
    _upload(world, "手册", b"original")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = _everything()
    call_command("flush", "--noinput")
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()

    call_command("restore", str(archive), stdout=io.StringIO())
    assert _everything() == before
