from django.urls import path

from inbox import views

urlpatterns = [
    path("", views.message_list, name="messages"),
    path("read/", views.messages_read, name="messages-read"),
    path("<int:message_id>/read/", views.message_read, name="message-read"),
]
