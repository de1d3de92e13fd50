"""Template filters of the ticket timeline."""

from __future__ import annotations

from django import template

from weibao.tickets.services import notes

register = template.Library()


@register.filter
def deletable_by(attachment, user) -> bool:
    """`{% if a|deletable_by:user %}`: whether the timeline offers `user` to delete it."""
    return notes.can_delete_attachment(attachment, user)
