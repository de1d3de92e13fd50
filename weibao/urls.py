from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from weibao.accounts import views as accounts_views

# The Django admin is Weibao's administration (the data behind every screen), not "Django".
admin.site.site_header = _("维保服务台管理")
admin.site.site_title = _("维保管理")
admin.site.index_title = _("数据与配置")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # the language switch; a signed-in user's account remembers the choice
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("weibao.alarms.urls")),  # machine endpoints: alarms posted in
    path("api/", include("weibao.api.urls")),
    path("calendar/", include("weibao.calendars.urls")),
    path("tickets/", include("weibao.tickets.urls")),
    path("notifications/", include("weibao.notifications.urls")),
    path("documents/", include("weibao.documents.urls")),
    path("fieldservice/", include("weibao.fieldservice.urls")),
    path("billing/", include("weibao.billing.urls")),
    path("feedback/", include("weibao.feedback.urls")),
    path("repairs/", include("weibao.repairs.urls")),
    path("spares/", include("weibao.spares.urls")),
    path("inspections/", include("weibao.inspections.urls")),
    path("emergency/", include("weibao.emergency.urls")),
    path("reports/", include("weibao.reporting.urls")),
    path("library/", include("weibao.library.urls")),
    path("alarms/", include("weibao.incidents.urls")),
    path("", include("weibao.ops.urls")),  # /healthz, /readyz, /metrics
    path("", include("weibao.web.urls")),
]
