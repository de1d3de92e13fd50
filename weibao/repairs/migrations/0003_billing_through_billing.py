"""Billable repairs move to billing (issue 10 #8, EXC-1..3): each repair marked out of scope
gets billing's exclusion with the cause mapped onto billing's one list, its note as the
evidence, and a draft statement holding its cost lines. The old fields go in 0004."""

from django.db import migrations
from django.utils import timezone

CAUSES = {
    "accident": "accident",
    "misuse": "negligence",
    "moved_by_unqualified": "unqualified_move",
    "unauthorised_work": "unauthorised_work",
    "improper_use": "improper_use",
    "inferior_material": "faulty_third_party",
    "foreign_equipment": "foreign_equipment",
    "third_party_addons": "third_party_addon",
    "force_majeure": "force_majeure",
    "other": "other",
}
# The old cause labels, as evidence when the repair had no note.
LABELS = {
    "accident": "事故或灾难（火灾、洪水、风灾、闪电、战争、停电等）",
    "misuse": "疏忽、误用、误操作或恶意使用",
    "moved_by_unqualified": "被用户雇佣的不合格人员移动或改变位置",
    "unauthorised_work": "未经授权对系统作业、修改或变更",
    "improper_use": "使用不当、不适宜的环境或维护不当",
    "inferior_material": "与低劣或有故障的第三方材料合用",
    "foreign_equipment": "不属于服务商负责的设备引起的故障",
    "third_party_addons": "第三方功能、附件或软件加入或移出系统",
    "force_majeure": "不能预见、不能避免、不能克服的因素",
    "other": "其他非服务商原因",
}
KINDS = {
    "labour": "labour",
    "parts": "part",
    "shipping": "shipping",
    "service_fee": "service_fee",
    "other": "other",
}
UNITS = {"labour": "小时", "part": "件", "shipping": "次", "service_fee": "项", "other": "项"}


def forwards(apps, schema_editor):
    from weibao.billing import seed

    seed.load(apps)  # the causes, should a flushed database have lost them
    repair_model = apps.get_model("repairs", "Repair")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    cause_model = apps.get_model("billing", "ExclusionCause")
    exclusion_model = apps.get_model("billing", "Exclusion")
    statement_model = apps.get_model("billing", "Statement")
    line_model = apps.get_model("billing", "StatementLine")
    billable = repair_model.objects.filter(billable=True).order_by("pk")
    if not billable.exists():
        return
    repair_type, _created = content_type_model.objects.get_or_create(
        app_label="repairs", model="repair"
    )
    causes = {c.code: c for c in cause_model.objects.all()}
    for repair in billable:
        subject = {"subject_type": repair_type, "subject_id": repair.pk}
        if exclusion_model.objects.filter(**subject).exists():
            continue
        scope = {
            "customer_id": repair.customer_id,
            "site_id": repair.site_id,
            "asset_id": repair.asset_id,
        }
        old_cause = repair.exclusion_cause or "other"
        exclusion = exclusion_model.objects.create(
            **subject,
            **scope,
            evidence=repair.exclusion_note.strip() or LABELS.get(old_cause, old_cause),
            marked_at=repair.updated_at,
        )
        exclusion.causes.set([causes[CAUSES.get(old_cause, "other")]])
        statement = statement_model.objects.create(
            **subject,
            **scope,
            exclusion=exclusion,
            contract_id=repair.contract_id,
            title=f"{repair.number or f'#{repair.pk}'} 收费服务费用确认单",
            prepared_by_id=repair.created_by_id,
        )
        statement.number = f"FY{timezone.localtime(statement.created_at):%y%m%d}-{statement.pk:05d}"
        statement.save(update_fields=["number"])
        lines = repair.cost_lines.order_by("id")
        for position, line in enumerate(lines, start=1):
            kind = KINDS.get(line.kind, "other")
            line_model.objects.create(
                statement=statement,
                position=position,
                kind=kind,
                description=line.description,
                quantity=line.quantity,
                unit=UNITS[kind],
                unit_price=line.unit_price,
            )


def backwards(apps, schema_editor):
    """Back to the repair's own fields (the first cause, the evidence, the lines)."""
    repair_model = apps.get_model("repairs", "Repair")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    exclusion_model = apps.get_model("billing", "Exclusion")
    statement_model = apps.get_model("billing", "Statement")
    line_model = apps.get_model("billing", "StatementLine")
    cost_model = apps.get_model("repairs", "RepairCostLine")
    repair_type = content_type_model.objects.filter(app_label="repairs", model="repair").first()
    if repair_type is None:
        return
    old_causes = {new: old for old, new in CAUSES.items()}
    old_kinds = {new: old for old, new in KINDS.items()}
    for exclusion in exclusion_model.objects.filter(subject_type=repair_type):
        repair = repair_model.objects.filter(pk=exclusion.subject_id).first()
        if repair is None:
            continue
        cause = exclusion.causes.order_by("order", "id").first()
        repair.billable = True
        repair.exclusion_cause = old_causes.get(cause.code if cause else "", "other")
        repair.exclusion_note = exclusion.evidence[:300]
        repair.save(update_fields=["billable", "exclusion_cause", "exclusion_note"])
        statements = statement_model.objects.filter(subject_type=repair_type,
                                                    subject_id=repair.pk)
        for line in line_model.objects.filter(statement__in=statements).order_by("position"):
            cost_model.objects.create(
                repair=repair,
                kind=old_kinds.get(line.kind, "other"),
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0002_due_provisional"),
        ("billing", "0004_spare_causes_and_line_kinds"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
