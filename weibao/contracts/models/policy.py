"""A contract's SLA policy as editable rows (表 11–16), turned into a frozen `Policy`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.policy import (
    RESPONSE_CLOCKS,
    RESPONSE_TABLES,
    ArrivalRule,
    DistanceTier,
    EscalationStep,
    EscalationTarget,
    LevelKey,
    Policy,
)
from weibao.core.batchreads import once
from weibao.core.models import AuditedModel

POSITIVE = [MinValueValidator(1, message=_("时长必须大于 0。"))]


def _term(label: str):
    return models.PositiveIntegerField(label, validators=POSITIVE)


class ContractPolicy(AuditedModel):
    """The service policy of one contract. Every number is a default from the spec that the
    contract may change; see `weibao.contracts.policy` for the defaults."""

    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("合同"),
        on_delete=models.CASCADE,
        related_name="policy",
    )
    level_scheme = models.PositiveSmallIntegerField(
        _("故障分级"), choices=[(3, _("三级")), (4, _("四级（表 15）"))], default=3
    )
    arrival_rule = models.CharField(
        _("表 13 与表 14 的组合"),
        max_length=20,
        choices=ArrivalRule.choices,
        default=ArrivalRule.LATER,
    )
    onsite_for_l3 = models.BooleanField(_("三级故障提供现场支持"), default=True)
    repair_domestic_working_days = _term(_("国内维修周期（工作日）"))
    repair_foreign_working_days = _term(_("国外维修周期（工作日）"))
    repair_trial_months = _term(_("返修后试用期（月）"))
    loan_max_months = _term(_("备件借用期（月）"))
    loan_total_max_months = _term(_("借用期含延期上限（月）"))
    sale_ship_months = _term(_("备件销售发货期限（月）"))
    warranty_months = _term(_("备件销售保修期（月）"))
    training_max_minutes = _term(_("单次培训时长上限（分钟）"))
    complaint_response_minutes = _term(_("投诉首次响应时限（分钟）"))
    continued_escalation_manager_minutes = models.PositiveIntegerField(
        _("升级结束后仍未解决：通知维护管理经理间隔（分钟）"), default=4 * 60, validators=POSITIVE
    )
    continued_escalation_gm_minutes = models.PositiveIntegerField(
        _("升级结束后仍未解决：通知服务中心总经理间隔（分钟）"),
        default=24 * 60,
        validators=POSITIVE,
    )
    late_log_max_minutes = models.PositiveIntegerField(
        _("补录来电最多可早于当前时间（分钟）"), default=24 * 60, validators=POSITIVE
    )

    # Its tables are part of its version (`weibao.core.concurrency`): the policy's `ETag`.
    version_related = ("response_targets", "distance_tiers", "escalation_rules")

    TERM_FIELDS = (
        "repair_domestic_working_days",
        "repair_foreign_working_days",
        "repair_trial_months",
        "loan_max_months",
        "loan_total_max_months",
        "sale_ship_months",
        "warranty_months",
        "training_max_minutes",
        "complaint_response_minutes",
        "continued_escalation_manager_minutes",
        "continued_escalation_gm_minutes",
        "late_log_max_minutes",
    )

    class Meta:
        verbose_name = _("服务策略")
        verbose_name_plural = _("服务策略")

    def __str__(self) -> str:
        return str(_("%(contract)s 的服务策略") % {"contract": self.contract})

    def clean(self) -> None:
        if (
            self.loan_max_months
            and self.loan_total_max_months
            and self.loan_total_max_months < self.loan_max_months
        ):
            raise ValidationError({"loan_total_max_months": _("借用期上限不能小于借用期。")})

    def archive_scope(self):
        return {"customer": self.contract.customer_id}

    def snapshot(self) -> Policy:
        """The policy as frozen data, to be copied onto a ticket when it opens (read once per
        batch: `core.batchreads`)."""
        return once(("policy", self.pk), self._snapshot)

    def _snapshot(self) -> Policy:
        response: dict[str, dict[str, int]] = {kind.value: {} for kind in RESPONSE_CLOCKS}
        for row in self.response_targets.all():
            response[row.clock][row.level] = row.minutes
        return Policy(
            level_scheme=self.level_scheme,
            arrival_rule=self.arrival_rule,
            onsite_for_l3=self.onsite_for_l3,
            response=response,
            distance_tiers=tuple(
                DistanceTier(t.max_km, t.minutes)
                for t in sorted(self.distance_tiers.all(), key=_tier_order)
            ),
            escalation=tuple(
                EscalationStep(s.level, s.after_minutes, s.target)
                for s in self.escalation_rules.order_by("level", "after_minutes")
            ),
            terms={name: getattr(self, name) for name in self.TERM_FIELDS},
        )


def _tier_order(tier) -> tuple[bool, int]:
    return (tier.max_km is None, tier.max_km or 0)


class ResponseTarget(models.Model):
    """One cell of 表 11/12/13: how many minutes a clock allows for a level."""

    policy = models.ForeignKey(
        ContractPolicy, on_delete=models.CASCADE, related_name="response_targets"
    )
    clock = models.CharField(_("时钟"), max_length=20, choices=list(RESPONSE_TABLES.items()))
    level = models.CharField(_("级别"), max_length=20, choices=LevelKey.choices)
    minutes = models.PositiveIntegerField(_("时限（分钟）"), validators=POSITIVE)

    class Meta:
        verbose_name = _("响应时限")
        verbose_name_plural = _("响应时限")
        ordering = ["clock", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "clock", "level"], name="unique_response_target"
            ),
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="response_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_clock_display()} {self.get_level_display()} {self.minutes}"


class DistanceTierRow(models.Model):
    """One row of 表 14: arrival within `minutes` for sites up to `max_km` away."""

    policy = models.ForeignKey(
        ContractPolicy, on_delete=models.CASCADE, related_name="distance_tiers"
    )
    max_km = models.PositiveIntegerField(
        _("距离上限（公里）"), null=True, blank=True, help_text=_("留空表示超过上一档的所有距离")
    )
    minutes = models.PositiveIntegerField(_("到场时限（分钟）"), validators=POSITIVE)

    class Meta:
        verbose_name = _("到场距离分档")
        verbose_name_plural = _("到场距离分档")
        ordering = ["policy", models.F("max_km").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["policy", "max_km"], name="unique_distance_tier"),
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="tier_positive"),
        ]

    def __str__(self) -> str:
        return f"≤{self.max_km or '∞'} km: {self.minutes}"


class EscalationRule(models.Model):
    """One step of 表 16: after `after_minutes` unresolved, reach `target`."""

    policy = models.ForeignKey(
        ContractPolicy, on_delete=models.CASCADE, related_name="escalation_rules"
    )
    level = models.CharField(_("级别"), max_length=20, choices=LevelKey.choices)
    after_minutes = models.PositiveIntegerField(_("报告后（分钟）"), validators=POSITIVE)
    target = models.CharField(_("通知对象"), max_length=30, choices=EscalationTarget.choices)

    class Meta:
        verbose_name = _("升级步骤")
        verbose_name_plural = _("升级步骤")
        ordering = ["policy", "level", "after_minutes"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "level", "after_minutes", "target"], name="unique_step"
            ),
            models.CheckConstraint(condition=models.Q(after_minutes__gt=0), name="step_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.level} +{self.after_minutes}min → {self.get_target_display()}"
