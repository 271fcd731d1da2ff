from django.urls import path

from kontora.messaging import views

app_name = "messaging"

urlpatterns = [
    path("mailbox/test/", views.mailbox_test, name="mailbox_test"),
    path("sms/test/", views.sms_test, name="sms_test"),
]
