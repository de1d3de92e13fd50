"""What every workflow viewset shares: an action validates its body, calls one service on
the object and answers the fresh object; every workflow object lists its moves.

    class RepairViewSet(ServiceActions, ScopedReadOnlyViewSet):
        read_serializer = RepairSerializer

        @action(detail=True, methods=["post"])
        def ship(self, request, pk=None):
            return self._act(request, HopSerializer, lambda repair, data: services.ship(
                repair, **data, actor=request.user))
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response


class ServiceActions:
    """`_act`: validate the body, call one service on the object, answer the fresh object."""

    read_serializer = None

    def _answer(self, obj, code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk)
        serializer = self.read_serializer or self.get_serializer_class()
        return Response(serializer(obj, context=self.get_serializer_context()).data, code)

    def _act(self, request, serializer_class, call, code=status.HTTP_200_OK):
        data = None
        if serializer_class is not None:
            body = serializer_class(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            data = body.validated_data
        obj = self.get_object()
        result = call(obj, data)
        return self._answer(result if isinstance(result, type(obj)) else obj, code)


class MoveSerializer(serializers.Serializer):
    verb = serializers.CharField()
    label = serializers.CharField()
    needs_note = serializers.BooleanField()


class BlockedMoveSerializer(serializers.Serializer):
    verb = serializers.CharField()
    label = serializers.CharField()
    code = serializers.CharField()
    reason = serializers.CharField()


class MovesSerializer(serializers.Serializer):
    allowed = MoveSerializer(many=True)
    blocked = BlockedMoveSerializer(many=True)


@extend_schema_field(MovesSerializer)
class MovesField(serializers.Field):
    """`moves = MovesField(workflow)`: the moves the caller may make now and why the others
    (leaving the current state) are blocked, from the one workflow mechanism."""

    def __init__(self, workflow, **kwargs):
        self.workflow = workflow
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        actor = getattr(request, "user", None)
        return self.workflow.describe(obj, actor)
