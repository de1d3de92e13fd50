from django.contrib import admin

from weibao.assets.models import Asset, AssetCategory
from weibao.core.concurrency import VersionedAdmin


@admin.register(AssetCategory)
class AssetCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "is_third_party", "order"]
    list_editable = ["order"]


@admin.register(Asset)
class AssetAdmin(VersionedAdmin):
    list_display = ["name", "category", "model", "serial_number", "site", "owner", "status"]
    list_filter = ["category", "owner", "repair_origin", "status", "customer"]
    search_fields = ["name", "model", "serial_number"]
    autocomplete_fields = ["site"]
