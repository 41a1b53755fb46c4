from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic.base import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from determinations import api as determinations_api
from determinations import views as determinations_views
from eligibility import api as eligibility_api
from eligibility import guide
from eligibility import views as eligibility_views
from filing import api as filing_api
from funds import api as funds_api
from funds.urls import budget_urlpatterns, payment_urlpatterns
from haidong_policy import health
from inbox import api as inbox_api
from kernel import problems
from matching import api as matching_api
from notices import api as notices_api
from review import api as review_api
from review.urls import audit_urlpatterns

handler400 = "kernel.problems.handler400"
handler404 = "kernel.problems.handler404"
handler500 = "kernel.problems.handler500"

APPLICATION = r"^applications/(?P<application_id>\d{1,12})"

api_v1 = [
    # Every API path works with and without a trailing slash, and never redirects a POST.
    # eligibility
    re_path(r"^eligibility/?$", eligibility_api.EligibilityView.as_view(), name="eligibility"),
    re_path(r"^measures/?$", eligibility_api.MeasureListView.as_view(), name="measure-list"),
    re_path(r"^measures/(?P<number>\d{1,3})/?$", eligibility_api.MeasureDetailView.as_view(),
            name="measure-detail"),
    re_path(r"^parameters/?$", eligibility_api.ParameterListView.as_view(), name="parameter-list"),
    re_path(r"^parameters/(?P<name>[a-z0-9_.]{1,80})/?$", eligibility_api.ParameterDetailView.as_view(),
            name="parameter-detail"),
    re_path(r"^schema/?$", SpectacularAPIView.as_view(), name="schema"),
    # accounts
    re_path(r"^auth/token/?$", accounts_api.TokenView.as_view(), name="auth-token"),
    re_path(r"^auth/logout/?$", accounts_api.LogoutView.as_view(), name="auth-logout"),
    # filing
    re_path(r"^applications/?$", filing_api.ApplicationsView.as_view(), name="application-list"),
    re_path(APPLICATION + r"/?$", filing_api.ApplicationView.as_view(), name="application-detail"),
    re_path(APPLICATION + r"/submit/?$", filing_api.SubmitView.as_view(), name="application-submit"),
    re_path(APPLICATION + r"/withdraw/?$", filing_api.WithdrawView.as_view(), name="application-withdraw"),
    re_path(APPLICATION + r"/attachments/?$", filing_api.AttachmentsView.as_view(), name="attachment-list"),
    re_path(APPLICATION + r"/attachments/(?P<attachment_id>\d{1,12})/?$", filing_api.AttachmentView.as_view(),
            name="attachment-detail"),
    # review
    re_path(r"^review/queue/?$", review_api.ReviewQueueView.as_view(), name="review-queue"),
    re_path(APPLICATION + r"/claim/?$", review_api.ClaimView.as_view(), name="application-claim"),
    re_path(APPLICATION + r"/release/?$", review_api.ReleaseView.as_view(), name="application-release"),
    re_path(APPLICATION + r"/return/?$", review_api.ReturnView.as_view(), name="application-return"),
    re_path(APPLICATION + r"/approve/?$", review_api.ApproveView.as_view(), name="application-approve"),
    re_path(APPLICATION + r"/reject/?$", review_api.RejectView.as_view(), name="application-reject"),
    re_path(APPLICATION + r"/propose/?$", review_api.ProposeView.as_view(), name="application-propose"),
    re_path(APPLICATION + r"/withdraw-proposal/?$", review_api.WithdrawProposalView.as_view(),
            name="application-withdraw-proposal"),
    re_path(r"^objections/(?P<objection_id>\d{1,12})/resolve/?$", review_api.ObjectionResolveView.as_view(),
            name="objection-resolve"),
    # public notices (公示)
    re_path(r"^notices/?$", notices_api.NoticeListView.as_view(), name="notice-list"),
    re_path(r"^notices/(?P<notice_id>\d{1,12})/objections/?$", notices_api.ObjectionCreateView.as_view(),
            name="objection-create"),
    # payments and budgets
    re_path(APPLICATION + r"/payments/?$", funds_api.PaymentsView.as_view(), name="payment-list"),
    re_path(r"^budgets/?$", funds_api.BudgetsView.as_view(), name="budget-list"),
    re_path(r"^budgets/(?P<payer>[a-z0-9]{1,10})/(?P<year>\d{4})/?$", funds_api.BudgetView.as_view(),
            name="budget-detail"),
    # profile and consent (免申即享)
    re_path(r"^profile/?$", matching_api.ProfileView.as_view(), name="profile"),
    re_path(r"^profile/consent/?$", matching_api.ConsentView.as_view(), name="profile-consent"),
    # messages (消息中心)
    re_path(r"^messages/?$", inbox_api.MessageListView.as_view(), name="message-list"),
    re_path(r"^messages/read/?$", inbox_api.MessagesReadView.as_view(), name="messages-read"),
    re_path(r"^messages/(?P<message_id>\d{1,12})/read/?$", inbox_api.MessageReadView.as_view(), name="message-read"),
    # determinations
    re_path(APPLICATION + r"/determination\.pdf$", determinations_api.DeterminationPdfView.as_view(),
            name="determination-pdf"),
    re_path(r"^verify/(?P<code>[0-9A-Za-z-]{1,40})/?$", determinations_api.VerifyView.as_view(), name="verify"),
]

urlpatterns = [
    path("", eligibility_views.calculator, name="calculator"),
    path("measures/", eligibility_views.catalogue_page, name="catalogue"),
    path("measures/<int:number>/guide/", guide.measure_guide, name="measure-guide"),
    path("compare/", eligibility_views.compare, name="compare"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    re_path(r"^api/docs/?$", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="api-docs"),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("applications/", include("filing.urls")),
    path("review/", include("review.urls")),
    path("audit/", include(audit_urlpatterns)),
    path("notices/", include("notices.urls")),
    path("messages/", include("inbox.urls")),
    path("profile/", include("matching.urls")),
    path("payments/", include(payment_urlpatterns)),
    path("budgets/", include(budget_urlpatterns)),
    path("verify/", determinations_views.verify_index, name="verify"),
    path("verify/<str:code>/", determinations_views.verify_code, name="verify-code"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Last: anything else under /api/ is a problem+json 404, also with DEBUG on.
    re_path(r"^api/", problems.api_not_found),
]
