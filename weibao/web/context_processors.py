"""Navigation for the web shell: which sections this user's roles may open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weibao.accounts.choices import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from weibao.tickets.selectors import open_level_one

    items = [
        (_("首页"), reverse("web:home")),
        (_("工单") if not user.customer_id else _("我的报修"), reverse("tickets:queue")),
        (_("客户") if not user.customer_id else _("我的单位"), reverse("web:customer_list")),
        (_("机房"), reverse("web:site_list")),
        (_("设备"), reverse("web:asset_list")),
        (_("合同"), reverse("web:contract_list")),
        (_("巡检"), reverse("inspections:calendar")),
        (_("应急预案"), reverse("emergency:register")),
        (_("运行分析"), reverse("reporting:index")),
        (_("资料与服务"), reverse("library:index")),
        (_("工作日历"), reverse("calendars:month")),
    ]
    if user.customer_id:
        items += [
            (_("待签字文档"), reverse("documents:list")),
            (_("待办与反馈"), reverse("feedback:portal")),
        ]
    else:
        if user.has_role(Role.ENGINEER, Role.MAINTENANCE_MANAGER):
            items.append((_("今日现场"), reverse("fieldservice:today")))
        items.append((_("我的巡检"), reverse("inspections:mine")))
        items += [
            (_("签字文档"), reverse("documents:list")),
            (_("回访"), reverse("feedback:callbacks")),
            (_("投诉"), reverse("feedback:complaints")),
        ]
    if user.customer_id:
        items.append((_("我的返修与借用"), reverse("repairs:list")))
    else:
        items += [
            (_("返修与备件"), reverse("repairs:board")),
            (_("备件销售"), reverse("spares:sales")),
        ]
    items.append((_("收费确认单"), reverse("billing:list")))
    if not user.customer_id:
        items.append((_("服务目录"), reverse("web:plan_list")))
    if user.is_staff:
        items.append((_("系统管理"), reverse("admin:index")))
    return {
        "nav_items": [{"label": label, "url": url} for label, url in items],
        "open_l1": open_level_one(user),
    }
