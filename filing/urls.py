from django.urls import path

from filing import views

urlpatterns = [
    path("", views.my_applications, name="my-applications"),
    path("new/", views.application_new, name="application-new"),
    path("from-result/", views.application_from_result, name="application-from-result"),
    path("<int:application_id>/", views.application_detail, name="application-detail"),
    path("<int:application_id>/edit/<slug:step>/", views.application_step, name="application-step"),
    path("<int:application_id>/withdraw/", views.application_withdraw, name="application-withdraw"),
    path("<int:application_id>/attachments/<int:attachment_id>/", views.attachment_download,
         name="attachment-download"),
]
