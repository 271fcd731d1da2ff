from django.urls import include, path

from kontora.accounts.views import sessions, setup, signin, users

app_name = "accounts"

urlpatterns = [
    path("login/", signin.login_view, name="login"),
    path("logout/", signin.logout_view, name="logout"),
    path("setup/", setup.setup_organisation, name="setup"),
    path("setup/user/", setup.setup_user, name="setup_user"),
    path("administration/", include([
        path("users/", users.users, name="users"),
        path("users/new/", users.user_new, name="user_new"),
        path("users/<int:pk>/", include([
            path("", users.user_edit, name="user_edit"),
            path("rights/", users.user_rights, name="user_rights"),
            path("delete/", users.user_delete, name="user_delete"),
        ])),
        path("sessions/", sessions.sessions, name="sessions"),
        path("sessions/<int:pk>/end/", sessions.session_end, name="session_end"),
    ])),
]
