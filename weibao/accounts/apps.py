from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "weibao.accounts"
    label = "accounts"
    verbose_name = _("账户与角色")

    def ready(self) -> None:
        from weibao.accounts.capabilities import Capability
        from weibao.core import event_kinds, permissions

        # permission changes are the provider's inside (PRM-1)
        event_kinds.register(event_kinds.EventKind("accounts.*", customer_history=False))
        permissions.register_labels(Capability)
