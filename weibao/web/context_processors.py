"""Navigation for the web shell: the menu of what this user may use, grouped.

Each entry says who sees it with the same test its page applies (a capability of the
permission matrix, "provider staff only", "customer users only"), so no menu item answers
403. A group with one visible entry is shown as that entry; an empty group is left out.
There are at most 8 top-level entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability as C
from weibao.accounts.choices import Role
from weibao.core import permissions

MAX_TOP_ITEMS = 8

# Roles that run the desk and see its failures (breach board, notification outbox).
MANAGER_ROLES = (
    Role.MAINTENANCE_MANAGER,
    Role.SERVICE_OFFICE_MANAGER,
    Role.CENTER_HEAD,
    Role.SERVICE_CENTER_GM,
)

Test = Callable[[object], bool]


def anyone(user) -> bool:
    return True


def staff(user) -> bool:
    """Provider staff: pages that refuse customer users (`PermissionDenied` for them)."""
    return not user.customer_id


def customer(user) -> bool:
    """Customer users: pages that refuse provider staff (the portal, surveys)."""
    return bool(user.customer_id)


def manager(user) -> bool:
    return staff(user) and (user.is_superuser or user.has_role(*MANAGER_ROLES))


def holds(*capabilities: str) -> Test:
    """Any of the capabilities (the page's own check, or what makes it useful to the role)."""
    return lambda user: any(permissions.can(user, c) for c in capabilities)


def both(*tests: Test) -> Test:
    return lambda user: all(test(user) for test in tests)


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    test: Test = anyone


@dataclass(frozen=True)
class Group:
    label: str
    entries: tuple[Entry, ...]


PROVIDER_MENU = (
    Entry(_("首页"), "web:home"),
    Group(_("工单"), (
        Entry(_("工单队列"), "tickets:queue"),
        Entry(_("受理新请求"), "tickets:new", holds(C.TICKET_OPEN)),
        Entry(_("告警控制台"), "console:alarms", holds(C.ALARM_VIEW)),
        Entry(_("回访"), "feedback:callbacks", holds(C.TICKET_CALLBACK)),
        Entry(_("投诉"), "feedback:complaints",
              lambda u: holds(C.COMPLAINT_RECORD, C.COMPLAINT_HANDLE)(u) or manager(u)),
    )),
    Group(_("现场"), (
        Entry(_("今日现场"), "fieldservice:today",
              both(staff, holds(C.VISIT_WORK, C.TICKET_DISPATCH))),
        Entry(_("我的巡检"), "inspections:mine", holds(C.VISIT_WORK)),
        Entry(_("巡检计划"), "inspections:calendar", holds(C.VISIT_WORK, C.INSPECTION_PLAN)),
        Entry(_("签字文档"), "documents:list", holds(C.VISIT_WORK, C.TICKET_DISPATCH)),
        Entry(_("应急预案"), "emergency:register",
              holds(C.EMERGENCY_PLAN_EDIT, C.EMERGENCY_ANY_ACTION, C.VISIT_WORK)),
    )),
    Group(_("备件"), (
        Entry(_("备件看板"), "repairs:board",
              both(staff, holds(C.SPARES_OPERATE, C.SPARES_LONG_EXTENSION))),
        Entry(_("返修单"), "repairs:list", holds(C.REPAIR_REGISTER, C.SPARES_OPERATE)),
        Entry(_("借用"), "spares:loans", holds(C.SPARES_OPERATE, C.SPARES_LONG_EXTENSION)),
        Entry(_("库存"), "spares:stock", both(staff, holds(C.SPARES_OPERATE))),
        Entry(_("备件销售"), "spares:sales", holds(C.SALE_QUOTE, C.SPARES_OPERATE)),
    )),
    Group(_("报告"), (
        Entry(_("运行分析"), "reporting:index", holds(C.REPORT_READ)),
        Entry(_("收费确认单"), "billing:list",
              holds(C.BILLING_PROPOSE, C.BILLING_CONFIRM, C.BILLING_APPROVE)),
        Entry(_("资料与服务"), "library:index", holds(C.REPORT_READ)),
    )),
    Group(_("资料"), (
        Entry(_("客户"), "web:customer_list"),
        Entry(_("机房"), "web:site_list"),
        Entry(_("设备"), "web:asset_list"),
        Entry(_("合同"), "web:contract_list"),
        Entry(_("服务目录"), "web:plan_list"),
        Entry(_("工作日历"), "calendars:month"),
    )),
    Group(_("管理"), (
        Entry(_("通知发件箱"), "notifications:outbox", manager),
        Entry(_("系统管理"), "admin:index", lambda u: u.is_staff),
    )),
)  # fmt: skip

CUSTOMER_MENU = (
    Entry(_("首页"), "web:home"),
    Group(_("报修"), (
        Entry(_("报修"), "tickets:new", holds(C.TICKET_OPEN)),
        Entry(_("我的报修"), "tickets:queue"),
        Entry(_("投诉"), "feedback:complaints"),
        Entry(_("我的返修与借用"), "repairs:list"),
    )),
    Group(_("待办"), (
        Entry(_("待办与反馈"), "feedback:portal", customer),
        Entry(_("待签字文档"), "documents:list"),
        Entry(_("满意度调查"), "feedback:surveys", customer),
        Entry(_("收费确认单"), "billing:list"),
    )),
    Group(_("报告"), (
        Entry(_("运行分析"), "reporting:index", holds(C.REPORT_READ)),
        Entry(_("告警事件"), "console:incidents", holds(C.ALARM_VIEW)),
        Entry(_("巡检"), "inspections:calendar"),
        Entry(_("应急预案"), "emergency:register"),
        Entry(_("资料与服务"), "library:index", holds(C.REPORT_READ)),
    )),
    Group(_("资料"), (
        Entry(_("我的单位"), "web:customer_list"),
        Entry(_("机房"), "web:site_list"),
        Entry(_("设备"), "web:asset_list"),
        Entry(_("合同"), "web:contract_list"),
        Entry(_("工作日历"), "calendars:month"),
    )),
)  # fmt: skip


def _link(entry: Entry, path: str) -> dict:
    url = reverse(entry.url_name)
    return {"label": entry.label, "url": url, "current": path == url}


def menu_for(user, path: str = "") -> list[dict]:
    """The user's menu: links `{label, url, current}` and groups `{label, entries, current}`
    (not `items`: a template would find a dict's own `.items` on every link)."""
    menu = []
    for node in CUSTOMER_MENU if user.customer_id else PROVIDER_MENU:
        if isinstance(node, Entry):
            if node.test(user):
                menu.append(_link(node, path))
            continue
        items = [_link(entry, path) for entry in node.entries if entry.test(user)]
        if len(items) == 1:
            menu.append(items[0])
        elif items:
            current = any(item["current"] for item in items)
            menu.append({"label": node.label, "entries": items, "current": current})
    return menu[:MAX_TOP_ITEMS]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from weibao.tickets.selectors import open_level_one

    return {
        "nav_items": menu_for(user, request.path),
        "open_l1": open_level_one(user),
    }
