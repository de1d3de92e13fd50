"""Password rule of the demo: outside demo mode (WEIBAO_DEMO) no account may be given the
public demo password (it is printed by `weibao demo` and in the README)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from weibao.demo.build import DEMO_PASSWORD


class NotTheDemoPasswordValidator:
    def validate(self, password, user=None):
        if password == DEMO_PASSWORD and not settings.WEIBAO_DEMO:
            raise ValidationError(
                _("这是公开的演示密码，任何人都知道，请换一个。"), code="demo_password"
            )

    def get_help_text(self):
        return _("不能使用公开的演示密码。")
