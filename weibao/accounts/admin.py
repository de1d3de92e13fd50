from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.accounts.models import RoleAssignment, RoleCapability, Team, TeamMembership, User
from weibao.accounts.selectors import matrix_version, permission_matrix
from weibao.accounts.services import set_permission_matrix
from weibao.core import concurrency
from weibao.core.errors import DomainError


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["customer"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("维保"), {"fields": ("full_name", "phone", "language", "provider", "customer")}),
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


@admin.register(RoleCapability)
class RoleCapabilityAdmin(admin.ModelAdmin):
    """The permission matrix (PRM-1) as one grid: roles × capabilities, a checkbox per cell.
    Its list page is the grid; saving replaces the matrix (`set_permission_matrix`). The grid
    carries the matrix's version: a save from an older page is refused with "已被他人修改",
    the other administrator's ticks beside what this one ticked (kept)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        error, status, stale, version = None, 200, None, ""
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            cells = {tuple(value.split("|", 1)) for value in request.POST.getlist("cell")}
            wanted = {role: {c for r, c in cells if r == role} for role in Role.values}
            version = concurrency.posted_version(request)
            try:
                result = set_permission_matrix(wanted, actor=request.user, version=version)
            except concurrency.StaleObject:
                status, stale = 409, permission_matrix()
                error = _("已被他人修改，您的更改未保存；请核对下方他人保存的值。")
                version = matrix_version(stale)  # saving again now overwrites knowingly
            except DomainError as exc:
                error, status = exc.message, exc.status
            else:
                messages.success(
                    request,
                    _("权限矩阵已保存：授予 %(g)d 项，撤销 %(r)d 项。")
                    % {"g": len(result["granted"]), "r": len(result["revoked"])},
                )
                return redirect(request.path)
        matrix = permission_matrix()
        if error is not None:  # a refused save shows what was ticked
            matrix = {role: frozenset(wanted[role]) for role in Role.values}
        rows = [
            {
                "code": cap.value,
                "label": cap.label,
                "cells": [
                    {"role": role.value, "checked": cap.value in matrix.get(role.value, ())}
                    for role in Role
                ],
            }
            for cap in Capability
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("权限矩阵"),
            "roles": list(Role),
            "rows": rows,
            "error": error,
            "can_edit": self.has_change_permission(request),
            "version": version or matrix_version(),
            "stale_values": None if stale is None else _stale_rows(stale, matrix),
            **(extra_context or {}),
        }
        return TemplateResponse(
            request, "admin/accounts/rolecapability/matrix.html", context, status=status
        )


def _stale_rows(stored: dict, ticked: dict) -> list[dict]:
    """The capabilities whose holders another administrator saved differently from what was
    ticked: the roles that hold each now (for `core/_version.html`)."""
    rows = []
    for cap in Capability:
        holders = [role for role in Role if cap.value in stored.get(role.value, ())]
        if {r.value for r in holders} != {r for r in Role.values if cap.value in ticked[r]}:
            value = "、".join(str(role.label) for role in holders) or "—"
            rows.append({"name": cap.value, "label": cap.label, "value": value})
    return rows
