"""Excel import of customers, contacts, sites and assets: template, upload, preview with
row errors and nothing written, confirm writes all rows (audited) or none; only holders of
`master.import`."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from weibao.accounts.capabilities import Capability
from weibao.assets.models import Asset
from weibao.core import imports
from weibao.core.models import ChangeLog
from weibao.sites.models import Site
from weibao.tenancy.models import Contact, Customer

pytestmark = pytest.mark.django_db

SITE_HEADERS = ["客户代码", "编号", "名称", "类型", "地址", "纬度", "经度", "道路距离（公里）"]


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def xlsx(headers, *rows, name="sites.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, kind, file):
    response = client.post(f"/imports/{kind}/", {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


def test_capability_name_matches_the_matrix():
    assert imports.CAPABILITY == Capability.MASTER_IMPORT


@pytest.mark.parametrize("kind", ["customers", "contacts", "sites", "assets"])
def test_template_downloads_with_headers_and_an_example(client, world, kind):
    client.force_login(world.admin)
    response = client.get(f"/imports/{kind}/template/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert "客户代码" in headers or "代码" in headers
    assert any(c.value for c in sheet[2])


def test_preview_shows_row_errors_in_chinese_and_writes_nothing(client, world):
    client.force_login(world.admin)
    code = world.customer_a.code
    before = Site.objects.count(), ChangeLog.objects.count()
    url = upload(
        client,
        "sites",
        xlsx(
            SITE_HEADERS,
            [code, "NEW-1", "新机房", "端局机房", "南京市", 32.1, 118.9, 12.5],
            ["no-such", "NEW-2", "坏机房", "核心机房", "南京市", 32.1, 118.9, None],
            [code, "NEW-3", "坏坐标", "机库", "南京市", 132.1, "东经", None],
        ),
    )
    page = client.get(url).content.decode()
    assert "新增 1 条" in page and "错误 2 条" in page
    assert "第 3 行：客户代码 “no-such”不存在或无权导入。" in page
    assert "第 4 行：类型 “机库”不是可选值" in page
    assert "第 4 行：经度 “东经”不是数字。" in page
    assert "第 4 行：纬度" in page
    assert "确认导入" not in page
    assert (Site.objects.count(), ChangeLog.objects.count()) == before


def test_confirm_writes_all_rows_audited_and_only_once(client, world):
    client.force_login(world.admin)
    code = world.customer_a.code
    url = upload(
        client,
        "sites",
        xlsx(
            SITE_HEADERS,
            [code, "NEW-1", "新机房", "端局机房", "南京市", 32.1, 118.9, 12.5],
            [code, world.site_a.code, "甲端局（改名）", "端局机房", "南京市", 32.0, 118.8, None],
        ),
    )
    page = client.get(url).content.decode()
    assert "新增 1 条，修改 1 条" in page and "确认导入" in page
    assert not Site.objects.filter(code="NEW-1").exists()

    response = client.post(url + "confirm/")
    assert response.status_code == 302 and response.url == "/sites/"
    site = Site.objects.get(code="NEW-1")
    assert site.customer == world.customer_a and float(site.road_distance_km) == 12.5
    assert site.distance_km == 12.5
    world.site_a.refresh_from_db()
    assert world.site_a.name == "甲端局（改名）"
    created = ChangeLog.objects.get(object_id=site.pk, action="create", content_type__model="site")
    assert created.actor == world.admin
    listing = client.get("/sites/").content.decode()
    assert "已导入机房：新增 1 条，修改 1 条" in listing

    again = client.post(url + "confirm/")
    assert again.status_code == 410
    assert "导入文件已失效或不存在，请重新上传。" in again.content.decode()
    assert Site.objects.filter(code="NEW-1").count() == 1


def test_confirm_refused_when_the_data_changed_since_the_preview(client, world):
    client.force_login(world.admin)
    code = world.customer_a.code
    url = upload(
        client,
        "sites",
        xlsx(SITE_HEADERS, [code, "NEW-1", "新机房", "端局机房", "南京市", 32.1, 118.9, None]),
    )
    client.get(url)
    Site.objects.create(
        customer=world.customer_a,
        code="NEW-1",
        name="别人建的",
        kind="core",
        address="南京市",
        latitude=32,
        longitude=118,
    )
    response = client.post(url + "confirm/")
    assert response.status_code == 409
    assert "预览之后数据已有变化" in response.content.decode()
    assert Site.objects.get(code="NEW-1").name == "别人建的"


def test_bad_files_are_refused_with_a_clear_message(client, world):
    client.force_login(world.admin)
    fake = SimpleUploadedFile("sites.xlsx", b"PK\x03\x04 not really a workbook")
    page = client.post("/imports/sites/", {"file": fake})
    assert page.status_code == 400
    assert "无法读取该 Excel 文件" in page.content.decode()
    text = SimpleUploadedFile("sites.csv", b"a,b\n")
    refused = client.post("/imports/sites/", {"file": text}).content.decode()
    assert "不支持的文件类型 .csv" in refused
    wrong = client.post("/imports/sites/", {"file": xlsx(["名称"], ["x"])})
    assert "缺少列：客户代码、编号" in wrong.content.decode()
    stale = client.get("/imports/sites/AAAAAAAAAAAAAAAAAAAAAAAA/")
    assert stale.status_code == 410
    assert "导入文件已失效或不存在" in stale.content.decode()


def test_another_users_upload_is_not_theirs_to_confirm(client, world):
    client.force_login(world.admin)
    url = upload(client, "customers", xlsx(["代码", "名称"], ["new-co", "新客户"]))
    other = type(world.admin).objects.create(
        username="admin-2", is_superuser=True, is_staff=True, provider=world.admin.provider
    )
    client.force_login(other)
    assert client.post(url + "confirm/").status_code == 410
    assert not Customer.objects.filter(code="new-co").exists()


def test_contacts_and_assets_import(client, world):
    client.force_login(world.admin)
    code = world.customer_a.code
    url = upload(
        client,
        "contacts",
        xlsx(["客户代码", "姓名", "电话", "角色"], [code, "赵工", "13900000000", "值班人员"]),
    )
    client.get(url)
    client.post(url + "confirm/")
    assert Contact.objects.get(name="赵工").role == "duty"

    url = upload(
        client,
        "assets",
        xlsx(
            ["客户代码", "机房编号", "类别", "名称", "型号", "序列号", "安装日期"],
            [code, world.site_a.code, "fsu", "新 FSU", "ZXM10", "SN-NEW-1", "2024/3/1"],
            [code, world.site_b.code, "fsu", "别家", "ZXM10", "SN-NEW-2", None],
        ),
    )
    page = client.get(url).content.decode()
    assert "第 3 行：机房编号 该客户没有编号为" in page
    client.force_login(world.admin)
    url = upload(
        client,
        "assets",
        xlsx(
            ["客户代码", "机房编号", "类别", "名称", "型号", "序列号", "安装日期"],
            [code, world.site_a.code, "fsu", "新 FSU", "ZXM10", "SN-NEW-1", "2024/3/1"],
        ),
    )
    client.get(url)
    client.post(url + "confirm/")
    asset = Asset.objects.get(serial_number="SN-NEW-1")
    assert asset.site == world.site_a and str(asset.installed_on) == "2024-03-01"


@pytest.mark.parametrize("who", ["provider_user", "user_a", "account_manager"])
def test_only_master_import_holders_may_import(client, api, world, who):
    user = getattr(world, who)
    client.force_login(user)
    assert client.get("/imports/sites/").status_code == 403
    assert client.get("/imports/sites/template/").status_code == 403
    file = xlsx(SITE_HEADERS, [world.customer_a.code, "X", "x", "核心机房", "a", 1, 1, None])
    assert client.post("/imports/sites/", {"file": file}).status_code == 403
    assert "从 Excel 导入" not in client.get("/sites/").content.decode()
    api.force_authenticate(user)
    file.seek(0)
    answer = api.post("/api/imports/sites/", {"file": file}, format="multipart")
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"


def test_api_dry_run_previews_and_commit_writes(api, world):
    api.force_authenticate(world.admin)
    code = world.customer_a.code
    file = xlsx(SITE_HEADERS, [code, "API-1", "接口机房", "前端", "南京市", 32.1, 118.9, None])
    preview = api.post("/api/imports/sites/", {"file": file}, format="multipart")
    assert preview.status_code == 200
    body = preview.json()
    assert body["new"] == 1 and body["written"] is False
    assert body["rows"][0]["row"] == 2 and body["rows"][0]["status"] == "new"
    assert not Site.objects.filter(code="API-1").exists()

    commit = api.post(
        "/api/imports/sites/", {"token": body["token"], "dry_run": "false"}, format="multipart"
    )
    assert commit.status_code == 201 and commit.json()["written"] is True
    assert Site.objects.get(code="API-1").kind == "front_end"

    bad = xlsx(SITE_HEADERS, ["nope", "API-2", "x", "前端", "南京市", 32.1, 118.9, None])
    refused = api.post("/api/imports/sites/", {"file": bad, "dry_run": "false"}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["code"] == "import_invalid"
    assert re.search(r"第 2 行：客户代码", refused.json()["fields"]["file"][0])
    assert not Site.objects.filter(code="API-2").exists()
