"""Base viewsets: querysets scoped to the user, customer users read-only, audit actor set."""

from __future__ import annotations

from rest_framework import permissions, viewsets


class IsProviderStaffOrReadOnly(permissions.BasePermission):
    """Customer users read their own data; only provider staff write."""

    message = "客户用户只能查看数据。"

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.customer_id is None


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A model viewset over `Model.objects.visible_to(request.user)`; other customers' rows
    answer 404, exactly like rows that do not exist."""

    permission_classes = [IsProviderStaffOrReadOnly]

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)


class ScopedRelatedFieldsMixin:
    """Restricts the choices of related fields to the rows the requesting user can see, so a
    write can never point at another customer's site or asset."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user)
            child = getattr(field, "child_relation", None)
            if child is not None and hasattr(child.queryset, "visible_to"):
                child.queryset = child.queryset.visible_to(user)
        return fields
