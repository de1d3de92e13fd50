from django.contrib import admin

from weibao.catalog.models import Entitlement, Plan, ServiceCategory, ServiceItem


class ServiceItemInline(admin.TabularInline):
    model = ServiceItem
    extra = 0


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order"]
    inlines = [ServiceItemInline]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "slug"]
    list_filter = ["category"]


class EntitlementInline(admin.TabularInline):
    model = Entitlement
    extra = 0
    fields = ["order", "item", "code", "name", "quantity", "unit", "period", "site_kind", "note"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    inlines = [EntitlementInline]
