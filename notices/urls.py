from django.urls import path

from notices import views

urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("feed/", views.NoticeFeed(), name="notice-feed"),
    path("<int:notice_id>/object/", views.notice_object, name="notice-object"),
]
