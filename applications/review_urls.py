from django.urls import path

from applications import review_views

urlpatterns = [
    path("", review_views.queue, name="review-queue"),
    path("overview/", review_views.overview, name="review-overview"),
    path("<int:application_id>/", review_views.review, name="review-application"),
    path("<int:application_id>/claim/", review_views.claim, name="review-claim"),
    path("<int:application_id>/release/", review_views.release, name="review-release"),
    path("<int:application_id>/return/", review_views.return_, name="review-return"),
    path("<int:application_id>/reject/", review_views.reject, name="review-reject"),
    path("<int:application_id>/approve/", review_views.approve, name="review-approve"),
    path("<int:application_id>/attachments/<int:attachment_id>/inline/", review_views.attachment_inline,
         name="review-attachment"),
]
