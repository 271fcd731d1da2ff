from django.urls import path

from kontora.accounts.views import signin

app_name = "accounts"

urlpatterns = [
    path("login/", signin.login_view, name="login"),
    path("logout/", signin.logout_view, name="logout"),
]
