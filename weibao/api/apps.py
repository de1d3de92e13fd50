from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "weibao.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from django.db import models
        from rest_framework import serializers

        from weibao.api.fields import NoteField

        # A model's free text (TextField) reaches every model serializer bounded like a note.
        serializers.ModelSerializer.serializer_field_mapping[models.TextField] = NoteField
