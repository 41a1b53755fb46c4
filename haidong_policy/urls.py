from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from haidong_policy import problems
from measures import api, views

handler400 = "haidong_policy.problems.handler400"
handler404 = "haidong_policy.problems.handler404"
handler500 = "haidong_policy.problems.handler500"

api_v1 = [
    # Every API path works with and without a trailing slash, and never redirects a POST.
    re_path(r"^eligibility/?$", api.EligibilityView.as_view(), name="eligibility"),
    re_path(r"^measures/?$", api.MeasureListView.as_view(), name="measure-list"),
    re_path(r"^measures/(?P<number>\d{1,3})/?$", api.MeasureDetailView.as_view(), name="measure-detail"),
    re_path(r"^schema/?$", SpectacularAPIView.as_view(), name="schema"),
]

urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("measures/", views.catalogue_page, name="catalogue"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    re_path(r"^api/docs/?$", SpectacularSwaggerView.as_view(url_name="api:schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Last: anything else under /api/ is a problem+json 404, also with DEBUG on.
    re_path(r"^api/", problems.api_not_found),
]
