"""Template filters of the documents app."""

from django import template

from weibao.documents import services

register = template.Library()


@register.filter
def signable_by(doc, user) -> bool:
    """`{% if doc|signable_by:user %}`: whether `user` may sign `doc` now (the documents
    service's rule, `services.may_sign`), so pages never compare document states."""
    return services.may_sign(doc, user)
