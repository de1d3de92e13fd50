from django.contrib import admin

from weibao.core.concurrency import VersionedAdmin
from weibao.tenancy.models import Contact, Customer, Provider, ServicePoint


class ServicePointInline(admin.TabularInline):
    model = ServicePoint
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "hotline", "email"]
    inlines = [ServicePointInline]


@admin.register(ServicePoint)
class ServicePointAdmin(VersionedAdmin):
    list_display = ["name", "provider", "address", "latitude", "longitude"]
    search_fields = ["name", "address"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ["default_site"]


@admin.register(Customer)
class CustomerAdmin(VersionedAdmin):
    list_display = ["name", "code", "provider"]
    search_fields = ["name", "code"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(VersionedAdmin):
    list_display = ["name", "customer", "role", "phone"]
    list_filter = ["role"]
    search_fields = ["name", "phone"]
    raw_id_fields = ["default_site"]
