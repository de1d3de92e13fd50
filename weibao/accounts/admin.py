from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import RoleAssignment, Team, TeamMembership, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["customer"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("维保"), {"fields": ("full_name", "phone", "provider", "customer")}),
    )
    list_display = ["username", "full_name", "provider", "customer", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "provider", "customer"]
    search_fields = ["username", "full_name", "phone", "email"]
    inlines = [RoleAssignmentInline]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "customer"]
    list_filter = ["kind"]
    inlines = [TeamMembershipInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "customer"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name"]
