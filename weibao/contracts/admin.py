from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import (
    Contract,
    ContractPolicy,
    DistanceTierRow,
    EntitlementUsage,
    EscalationRule,
    ResponseTarget,
)
from weibao.core.concurrency import VersionedAdmin


class ResponseTargetInline(admin.TabularInline):
    model = ResponseTarget
    extra = 0


class DistanceTierInline(admin.TabularInline):
    model = DistanceTierRow
    extra = 0


class EscalationRuleInline(admin.TabularInline):
    model = EscalationRule
    extra = 0


@admin.register(ContractPolicy)
class ContractPolicyAdmin(VersionedAdmin):
    """The SLA policy of a contract; every value of 表 11–16 is a row here."""

    list_display = ["contract", "level_scheme", "arrival_rule"]
    inlines = [ResponseTargetInline, DistanceTierInline, EscalationRuleInline]
    fieldsets = (
        (None, {"fields": ("contract", "level_scheme", "arrival_rule", "onsite_for_l3")}),
        (_("其他约定"), {"fields": ContractPolicy.TERM_FIELDS}),
    )


class EntitlementUsageInline(admin.TabularInline):
    model = EntitlementUsage
    extra = 0
    readonly_fields = ["entitlement", "period_start", "period_end", "used", "billable"]
    can_delete = False


@admin.register(Contract)
class ContractAdmin(VersionedAdmin):
    list_display = ["number", "title", "customer", "plan", "start_date", "end_date"]
    list_filter = ["plan", "customer"]
    search_fields = ["number", "title"]
    filter_horizontal = ["sites"]
    raw_id_fields = ["assets"]
    inlines = [EntitlementUsageInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            from weibao.contracts.policy import default_policy
            from weibao.contracts.services import write_policy

            write_policy(obj, default_policy(), actor=request.user)
