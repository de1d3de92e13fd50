from django.contrib import admin

from weibao.spares.models import (
    Loan,
    LoanExtension,
    PartType,
    SaleItem,
    SaleOrder,
    SaleQuote,
    SaleQuoteLine,
    SparePart,
    SparePool,
    StockLocation,
    StockMovement,
)


@admin.register(PartType)
class PartTypeAdmin(admin.ModelAdmin):
    """Part numbers and their catalog price: data the administrator maintains."""

    list_display = ["part_number", "name", "asset_model", "catalog_price"]
    search_fields = ["part_number", "name", "asset_model"]


class LocationInline(admin.TabularInline):
    model = StockLocation
    extra = 0


@admin.register(SparePool)
class SparePoolAdmin(admin.ModelAdmin):
    list_display = ["name", "tier", "customer", "provider"]
    list_filter = ["tier"]
    inlines = [LocationInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stock and flow records change only through the services (the ledger must add up)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SparePart)
class SparePartAdmin(ReadOnlyAdmin):
    list_display = ["part_type", "serial_number", "pool", "owner", "condition", "state", "location"]
    list_filter = ["owner", "state", "condition", "pool"]
    search_fields = ["serial_number", "part_type__part_number"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "part", "from_location", "to_location", "actor", "note"]
    list_filter = ["kind", "pool"]
    search_fields = ["part__serial_number", "note"]


class ExtensionInline(admin.TabularInline):
    model = LoanExtension
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "customer",
        "kind",
        "status",
        "part",
        "start_date",
        "end_date",
        "latest_end",
        "billable",
    ]
    list_filter = ["status", "kind", "billable"]
    search_fields = ["number", "faulty_serial_number", "part__serial_number"]
    inlines = [ExtensionInline]


class QuoteLineInline(admin.TabularInline):
    model = SaleQuoteLine
    extra = 0


@admin.register(SaleQuote)
class SaleQuoteAdmin(ReadOnlyAdmin):
    list_display = ["order", "revision", "decision", "created_at"]
    inlines = [QuoteLineInline]


class SaleItemInline(admin.TabularInline):
    model = SaleItem
    extra = 0
    can_delete = False
    fields = ["part_type", "serial_number", "warranty_until"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SaleOrder)
class SaleOrderAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "customer",
        "origin",
        "stage",
        "ship_by",
        "shipped_on",
        "delivered_on",
    ]
    list_filter = ["stage", "origin"]
    search_fields = ["number", "contract_number", "items__serial_number"]
    inlines = [SaleItemInline]
