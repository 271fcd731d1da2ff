from django.urls import path

from kontora.accounts.views import sessions, setup, signin, users

app_name = "accounts"

urlpatterns = [
    path("login/", signin.login_view, name="login"),
    path("logout/", signin.logout_view, name="logout"),
    path("setup/", setup.setup_organisation, name="setup"),
    path("setup/user/", setup.setup_user, name="setup_user"),
    path("administration/users/", users.users, name="users"),
    path("administration/users/new/", users.user_new, name="user_new"),
    path("administration/users/<int:pk>/", users.user_edit, name="user_edit"),
    path("administration/users/<int:pk>/rights/", users.user_rights, name="user_rights"),
    path("administration/users/<int:pk>/delete/", users.user_delete, name="user_delete"),
    path("administration/sessions/", sessions.sessions, name="sessions"),
    path("administration/sessions/<int:pk>/end/", sessions.session_end, name="session_end"),
]
