from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "weibao.feedback"
    label = "feedback"
    verbose_name = _("回访与投诉")

    def ready(self) -> None:
        from weibao.core import due
        from weibao.feedback import tasks

        due.register(
            "feedback.complaint_first_response", tasks.flag_late_first_responses,
            every=due.BY_THE_MINUTE,
        )  # fmt: skip
