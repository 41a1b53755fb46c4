from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from applications import api as applications_api
from applications import review_api, verify
from haidong_policy import health, problems
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
    re_path(r"^auth/token/?$", accounts_api.TokenView.as_view(), name="auth-token"),
    re_path(r"^applications/?$", applications_api.ApplicationsView.as_view(), name="application-list"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/?$", applications_api.ApplicationView.as_view(),
            name="application-detail"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/submit/?$", applications_api.SubmitView.as_view(),
            name="application-submit"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/withdraw/?$", applications_api.WithdrawView.as_view(),
            name="application-withdraw"),
    re_path(r"^verify/(?P<code>[0-9A-Za-z-]{1,40})/?$", verify.VerifyView.as_view(), name="verify"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/determination\.pdf$",
            applications_api.DeterminationPdfView.as_view(),
            name="determination-pdf"),
    re_path(r"^review/queue/?$", review_api.ReviewQueueView.as_view(), name="review-queue"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/claim/?$", review_api.ClaimView.as_view(),
            name="application-claim"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/release/?$", review_api.ReleaseView.as_view(),
            name="application-release"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/return/?$", review_api.ReturnView.as_view(),
            name="application-return"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/approve/?$", review_api.ApproveView.as_view(),
            name="application-approve"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/reject/?$", review_api.RejectView.as_view(),
            name="application-reject"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/attachments/?$",
            applications_api.AttachmentsView.as_view(), name="attachment-list"),
    re_path(r"^applications/(?P<application_id>\d{1,12})/attachments/(?P<attachment_id>\d{1,12})/?$",
            applications_api.AttachmentView.as_view(), name="attachment-detail"),
]

urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("measures/", views.catalogue_page, name="catalogue"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    re_path(r"^api/docs/?$", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="api-docs"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("applications/", include("applications.urls")),
    path("review/", include("applications.review_urls")),
    path("audit/", include("audit.urls")),
    path("verify/", verify.verify_index, name="verify"),
    path("verify/<str:code>/", verify.verify_code, name="verify-code"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Last: anything else under /api/ is a problem+json 404, also with DEBUG on.
    re_path(r"^api/", problems.api_not_found),
]
