from django.urls import path

from matching import views

urlpatterns = [
    path("", views.profile_page, name="profile"),
    path("edit/<str:group>/", views.profile_edit, name="profile-edit"),
    path("projects/new/", views.profile_project, name="profile-project-new"),
    path("projects/<int:index>/", views.profile_project, name="profile-project"),
    path("projects/<int:index>/remove/", views.profile_project_remove, name="profile-project-remove"),
    path("consent/", views.profile_consent, name="profile-consent"),
    path("apply/", views.profile_apply, name="profile-apply"),
]
