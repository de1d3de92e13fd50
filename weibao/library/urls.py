from django.urls import path

from weibao.library.views import consulting, coverage, documents, index, versions

app_name = "library"

urlpatterns = [
    path("", index, name="index"),
    path("documents/", documents.document_list, name="documents"),
    path("documents/new/", documents.document_new, name="document_new"),
    path("documents/<int:pk>/access/", documents.document_access, name="document_access"),
    path("documents/<int:pk>/download/", documents.document_download, name="download"),
    path("versions/", versions.change_list, name="versions"),
    path("versions/new/", versions.change_new, name="version_new"),
    path("coverages/", coverage.coverage_list, name="coverages"),
    path("coverages/new/", coverage.coverage_new, name="coverage_new"),
    path("coverages/<int:pk>/", coverage.coverage_detail, name="coverage"),
    path("coverages/<int:pk>/renew/", coverage.coverage_renew, name="coverage_renew"),
    path("coverages/<int:pk>/reminders/", coverage.coverage_reminders, name="coverage_reminders"),
    path("consulting/", consulting.consulting_list, name="consulting_list"),
    path("consulting/new/", consulting.consulting_new, name="consulting_new"),
    path("consulting/<int:pk>/", consulting.consulting_detail, name="consulting"),
    path("consulting/<int:pk>/owner/", consulting.consulting_owner, name="consulting_owner"),
    path("consulting/<int:pk>/<str:verb>/", consulting.consulting_move, name="consulting_move"),
]
