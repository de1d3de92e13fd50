"""Serializers of the escalations app, for the ticket's API (read-only)."""

from rest_framework import serializers


class RedirectSerializer(serializers.Serializer):
    """One "无人可通知 → 已转 …" record of a ticket (`escalations.selectors.redirects_for`)."""

    at = serializers.DateTimeField()
    asked = serializers.CharField(help_text="the target or role nobody of could be reached")
    asked_label = serializers.CharField()
    reached = serializers.CharField(help_text="who was told instead; empty: nobody")
    reached_label = serializers.CharField()
    message = serializers.CharField()
