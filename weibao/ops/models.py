"""The runner's heartbeat: one row per runner kind, written after every completed tick by
whichever process ran it (the embedded worker of `weibao serve`, `weibao tick`, a Celery
worker), read by /readyz, /metrics and the staff banner of every other process."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

TICK = "due"  # the heartbeat of the one scheduler, `weibao.core.due.run()`


class Heartbeat(models.Model):
    name = models.CharField(_("名称"), max_length=40, unique=True)
    last_tick_at = models.DateTimeField(_("最近一次运行"))
    seconds = models.FloatField(_("耗时（秒）"), default=0)
    host = models.CharField(_("进程"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("运行心跳")
        verbose_name_plural = _("运行心跳")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_tick_at:%Y-%m-%d %H:%M:%S}"
