from django.urls import path

from kontora.messaging import views

app_name = "messaging"

urlpatterns = [
    path("mailbox/test/", views.mailbox_test, name="mailbox_test"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/", views.letter, name="letter"),
    path("outbox/<int:pk>/resend/", views.letter_resend, name="letter_resend"),
    path("sms/test/", views.sms_test, name="sms_test"),
]
