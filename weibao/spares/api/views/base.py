"""What the loan and sale viewsets share: an action validates its body, calls one service on
the object and answers the fresh object."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response


class ServiceActions:
    """`_act`: validate the body, call one service on the object, answer the fresh object."""

    read_serializer = None

    def _answer(self, obj, code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.read_serializer(obj, context={"request": self.request}).data, code)

    def _act(self, request, serializer_class, call):
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        obj = self.get_object()
        call(obj, data.validated_data)
        return self._answer(obj)
