from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from weibao.accounts.api.serializers import (
    MeSerializer,
    MeUpdateSerializer,
    PermissionMatrixSerializer,
)
from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.accounts.selectors import matrix_version, permission_matrix
from weibao.accounts.services import set_language, set_permission_matrix
from weibao.api.viewsets import ETAG, IF_MATCH
from weibao.core.permissions import require


@extend_schema(
    methods=["GET"], responses=MeSerializer, summary="The signed-in user and their roles"
)
@extend_schema(
    methods=["PATCH"],
    request=MeUpdateSerializer,
    responses={
        200: MeSerializer,
        400: OpenApiResponse(description="unknown_language (field `language`)"),
    },
    summary="Change the signed-in user's language (screens and notifications): zh-hans or en",
)
@api_view(["GET", "PATCH"])
def me(request):
    if request.method == "PATCH":
        body = MeUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        set_language(request.user, language=body.validated_data["language"], actor=request.user)
    return Response(MeSerializer(request.user).data)


def _matrix_body() -> dict:
    matrix = permission_matrix()
    return {
        "roles": [{"code": r.value, "label": str(r.label)} for r in Role],
        "capabilities": [{"code": c.value, "label": str(c.label)} for c in Capability],
        "matrix": {role: sorted(caps) for role, caps in matrix.items()},
    }


@extend_schema(
    methods=["GET"],
    parameters=[ETAG],
    responses={200: PermissionMatrixSerializer},
    summary="The permission matrix (PRM-1): role × capability",
)
@extend_schema(
    methods=["PUT"],
    parameters=[IF_MATCH, ETAG],
    request=PermissionMatrixSerializer,
    responses={
        200: PermissionMatrixSerializer,
        400: OpenApiResponse(description="unknown_role / unknown_capability / invalid"),
        403: OpenApiResponse(description="permission_denied (config.edit)"),
        412: OpenApiResponse(description="stale: the matrix changed since its `ETag` was read"),
    },
    summary="Replace the capabilities of the roles named (administrators)",
)
@api_view(["GET", "PUT"])
def permission_matrix_view(request):
    """The matrix with its version as the `ETag`; a PUT with an older `If-Match` is refused
    with 412 `stale` and changes nothing."""
    if request.method == "PUT":
        require(request.user, Capability.CONFIG_EDIT)
        body = PermissionMatrixSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        set_permission_matrix(
            body.validated_data["matrix"],
            actor=request.user,
            version=request.headers.get("If-Match", ""),
        )
    return Response(_matrix_body(), headers={"ETag": f'"{matrix_version()}"'})
