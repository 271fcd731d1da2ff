from django.urls import path

from kontora.messaging import views

app_name = "messaging"

urlpatterns = [
    path("mailbox/test/", views.mailbox_test, name="mailbox_test"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
