"""The data migration that moves billable repairs into billing (issue 10 #8): each gets an
exclusion with the cause mapped onto billing's one list, its note as evidence (the old cause's
label when it had none) and a draft statement holding its cost lines — nothing lost."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from weibao.billing.models import Exclusion, Statement
from weibao.repairs.models import Repair
from weibao.testing import factories as f

BEFORE = [("repairs", "0002_due_provisional")]
AFTER = [("repairs", "0004_drop_own_billing")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_billable_repairs_and_their_cost_lines_move_to_billing():
    site = f.SiteFactory()
    asset = f.AssetFactory(site=site)
    old = _migrate(BEFORE)
    repair_model = old.get_model("repairs", "Repair")
    line_model = old.get_model("repairs", "RepairCostLine")
    common = {"customer_id": site.customer_id, "site_id": site.pk, "asset_id": asset.pk,
              "repair_origin": "domestic", "received_on": dt.date(2026, 3, 2),
              "working_days": 30, "due_date": dt.date(2026, 4, 14)}  # fmt: skip
    misused = repair_model.objects.create(
        number="FX260302-0001", serial_number="S1", fault_description="主板烧毁",
        billable=True, exclusion_cause="misuse", exclusion_note="客户带电插拔", **common,
    )  # fmt: skip
    for kind, description, quantity, price in (
        ("parts", "主控芯片", "2", "490.00"),
        ("labour", "维修人工", "3", "150.00"),
        ("shipping", "返修运费", "1", "45.50"),
    ):
        line_model.objects.create(
            repair=misused, kind=kind, description=description, quantity=Decimal(quantity),
            unit_price=Decimal(price),
        )  # fmt: skip
    addon = repair_model.objects.create(
        number="FX260302-0002", serial_number="S2", fault_description="加装第三方板卡后死机",
        billable=True, exclusion_cause="third_party_addons", **common,
    )  # fmt: skip
    in_scope = repair_model.objects.create(
        number="FX260302-0003", serial_number="S3", fault_description="老化", **common
    )

    _migrate(AFTER)

    misused, addon, in_scope = (Repair.objects.with_billable().get(pk=r.pk)
                                for r in (misused, addon, in_scope))  # fmt: skip
    assert (misused.billable, addon.billable, in_scope.billable) == (True, True, False)
    exclusion = Exclusion.objects.get(subject_id=misused.pk, subject_type__model="repair")
    assert [c.code for c in exclusion.causes.all()] == ["negligence"]
    assert exclusion.evidence == "客户带电插拔"
    assert (exclusion.customer_id, exclusion.site_id, exclusion.asset_id) == (
        site.customer_id, site.pk, asset.pk,
    )  # fmt: skip
    statement = misused.statements.get()
    assert statement.state == "draft" and statement.exclusion == exclusion
    day = timezone.localtime(statement.created_at)
    assert statement.number == f"FY{day:%y%m%d}-{statement.pk:05d}"
    lines = [(li.position, li.kind, li.description, li.quantity, li.unit, li.unit_price)
             for li in statement.lines.all()]  # fmt: skip
    assert lines == [
        (1, "part", "主控芯片", Decimal("2.00"), "件", Decimal("490.00")),
        (2, "labour", "维修人工", Decimal("3.00"), "小时", Decimal("150.00")),
        (3, "shipping", "返修运费", Decimal("1.00"), "次", Decimal("45.50")),
    ]
    assert statement.total == Decimal("1475.50")
    addon_exclusion = Exclusion.objects.get(subject_id=addon.pk, subject_type__model="repair")
    assert [c.code for c in addon_exclusion.causes.all()] == ["third_party_addon"]
    assert addon_exclusion.evidence == "第三方功能、附件或软件加入或移出系统"
    assert addon.statements.get().lines.count() == 0
    assert Statement.objects.count() == 2
