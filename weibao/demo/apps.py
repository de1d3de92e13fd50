from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo world (`weibao demo`): an app of its own so that core depends on no app."""

    name = "weibao.demo"
    label = "demo"
    verbose_name = _("演示数据")
