from django.urls import path

from review import audit_log, views

urlpatterns = [
    path("", views.queue, name="review-queue"),
    path("overview/", views.overview, name="review-overview"),
    path("screening/", views.screening, name="review-screening"),
    path("<int:application_id>/", views.review, name="review-application"),
    path("<int:application_id>/claim/", views.claim, name="review-claim"),
    path("<int:application_id>/release/", views.release, name="review-release"),
    path("<int:application_id>/return/", views.return_, name="review-return"),
    path("<int:application_id>/reject/", views.reject, name="review-reject"),
    path("<int:application_id>/approve/", views.approve, name="review-approve"),
    path("<int:application_id>/propose/", views.propose, name="review-propose"),
    path("<int:application_id>/withdraw-proposal/", views.withdraw_proposal, name="review-withdraw-proposal"),
    path("objections/<int:objection_id>/resolve/", views.resolve_objection, name="review-resolve-objection"),
    path("<int:application_id>/attachments/<int:attachment_id>/inline/", views.attachment_inline,
         name="review-attachment"),
]

# Mounted at /audit/: the audit log for city admins.
audit_urlpatterns = [
    path("", audit_log.audit_log, name="audit-log"),
    path("export.csv", audit_log.audit_export, name="audit-export"),
]
