"""Base viewsets: querysets scoped to the user, writes checked against the permission matrix
(PRM-1), audit actor set.

A model viewset names the capability its writes need:

    class SiteViewSet(ScopedModelViewSet):
        write_capability = Capability.MASTER_EDIT
        action_capabilities = {"policy": Capability.CONFIG_EDIT}  # optional, per action

Create, update, delete and every unsafe custom action are refused with 403
(`permission_denied`, the capability named) unless the user holds the capability: first for
any customer (before the body is read, so a refused write never reveals validation), then for
the customer of the object written (`customer_of`) — an account manager edits master data of
their own customers only.

Every object such a viewset writes is guarded against lost updates (`ConditionalWrites`):
reading it, or writing it, answers an `ETag` (its version, `weibao.core.concurrency`); a
PUT, PATCH or DELETE that sends `If-Match` with an older tag is refused with 412 `stale`
("已被他人修改，请刷新后再改。") and changes nothing. The comparison is made on the row locked
for the write, so of two writers with the same tag exactly one succeeds. A write without
`If-Match` is not checked (last writer wins), as before.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, viewsets

from weibao.api.schema import NullableAnswers
from weibao.core import concurrency
from weibao.core import permissions as prm
from weibao.core.scoping import customer_id_of

CONDITIONAL_METHODS = ("PUT", "PATCH", "DELETE")
TAGGED_ACTIONS = ("retrieve", "update", "partial_update")


class IsProviderStaffOrReadOnly(permissions.BasePermission):
    """Customer users read their own data; only provider staff write."""

    message = gettext_lazy("客户用户只能查看数据。")

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        capability_for = getattr(view, "capability_for", None)
        if capability_for is not None and capability_for(getattr(view, "action", None)):
            return True  # the matrix decides (CapabilityWrites), naming the capability
        return request.user.customer_id is None


class ConditionalWrites:
    """`ETag` on an object's reads and writes, `If-Match` honoured on its PUT/PATCH/DELETE.

    A viewset may tag more actions (`tagged_actions`, e.g. a detail action that reads and
    replaces a part of the object), honour `If-Match` on POST actions that edit the object
    (`conditional_actions`), and name the object such an action versions (`versioned`: the
    contract's policy for its `policy` action)."""

    tagged_actions: tuple[str, ...] = TAGGED_ACTIONS
    conditional_actions: tuple[str, ...] = ()

    def versioned(self, obj):
        """The object whose version this request's `ETag`/`If-Match` is about."""
        return obj

    def _conditional(self, request) -> bool:
        if request.method in CONDITIONAL_METHODS:
            return True
        action_map = getattr(self, "action_map", None) or {}
        return request.method == "POST" and (action_map.get("post") in self.conditional_actions)

    def precondition(self, obj):
        """The object to write: when the request names the version it was made from
        (`If-Match`), the row locked for this transaction, refused with 412 if it changed."""
        target = self.versioned(obj)
        self._tagged_object = target
        if_match = self.request.headers.get("If-Match")
        if not if_match or target is None or not self._conditional(self.request):
            return obj
        current = concurrency.locked(target)
        concurrency.check_version(current, if_match)
        self._tagged_object = current
        return current if target is obj else obj

    def dispatch(self, request, *args, **kwargs):
        if "If-Match" in request.headers and self._conditional(request):
            with transaction.atomic():  # the row lock lasts until the write is stored
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "_tagged_object", None)
        if (
            obj is not None
            and response.status_code == 200
            and getattr(self, "action", None) in (*self.tagged_actions, *self.conditional_actions)
        ):
            if request.method != "GET":  # the version of what was stored
                obj = type(obj)._base_manager.filter(pk=obj.pk).first()
            if obj is not None:
                response["ETag"] = concurrency.etag_of(obj)
        return response


class CapabilityWrites(ConditionalWrites):
    """Writes of a viewset need `write_capability` (or `action_capabilities[action]`), checked
    with `weibao.core.permissions.require` for the object's customer."""

    write_capability: str | None = None
    action_capabilities: dict[str, str] = {}

    def capability_for(self, action: str | None) -> str | None:
        """The capability an unsafe request to `action` needs (None: no check here)."""
        return self.action_capabilities.get(action, self.write_capability)

    def customer_of(self, obj) -> int | None:
        """The customer an object belongs to (for the account manager's own customers)."""
        return customer_id_of(obj)

    def customer_of_data(self, data) -> int | None:
        """The customer a validated create/update body names, if any."""
        customer = data.get("customer") if hasattr(data, "get") else None
        return getattr(customer, "pk", customer)

    def _writing(self) -> bool:
        return self.request.method not in permissions.SAFE_METHODS

    def require_write(self, *, customer_id: int | None = None) -> None:
        capability = self.capability_for(self.action)
        if capability and self._writing():
            prm.require(self.request.user, capability, customer_id=customer_id)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.require_write()

    def get_object(self):
        obj = super().get_object()
        self.require_write(customer_id=self.customer_of(obj))
        return self.precondition(obj)

    def perform_create(self, serializer):
        self.require_write(customer_id=self.customer_of_data(serializer.validated_data))
        self.save_new(serializer)

    def perform_update(self, serializer):
        moved_to = self.customer_of_data(serializer.validated_data)
        if moved_to is not None:
            self.require_write(customer_id=moved_to)
        serializer.save()

    def save_new(self, serializer) -> None:
        """Write the new object (override to call the app's create service)."""
        serializer.save()


class ScopedModelViewSet(CapabilityWrites, viewsets.ModelViewSet):
    """A model viewset over `Model.objects.visible_to(request.user)`; other customers' rows
    answer 404, exactly like rows that do not exist. Writes need `write_capability`."""

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


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Optional: the `ETag` the change was made from. If the object changed since, "
    "the write is refused with 412 `stale` and nothing is changed. Without it the write is "
    "not checked (last writer wins).",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The object's version, to send back as `If-Match` with the next write.",
)


class ConditionalSchema(NullableAnswers, AutoSchema):
    """The project's OpenAPI inspector (`DEFAULT_SCHEMA_CLASS`): names `If-Match` and `ETag`
    on the operations of `ConditionalWrites` viewsets."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if isinstance(self.view, ConditionalWrites):
            view, method = self.view, self.method.upper()
            action = getattr(view, "action", None)
            conditional = (*view.tagged_actions, *view.conditional_actions)
            if action in ("update", "partial_update", "destroy") or (
                action in conditional and method in (*CONDITIONAL_METHODS, "POST")
            ):
                parameters.append(IF_MATCH)
            if action in conditional and method != "DELETE":
                parameters.append(ETAG)
        return parameters
