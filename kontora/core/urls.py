from django.urls import path

from kontora.core.views import about, backups, constants, functionality, home, jobs, notifications, parameters

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("administration/constants/", constants.constants, name="constants"),
    path("administration/constants/entities/new/", constants.entity_new, name="constants_entity_new"),
    path("administration/constants/entities/<int:entity_id>/", constants.entity_edit, name="constants_entity_edit"),
    path("administration/constants/entities/<int:entity_id>/delete/", constants.entity_delete,
         name="constants_entity_delete"),
    path("administration/constants/entities/<int:entity_id>/default/", constants.entity_default,
         name="constants_entity_default"),
    path("administration/constants/entities/<int:entity_id>/accounts/new/", constants.account_new,
         name="constants_account_new"),
    path("administration/constants/accounts/<int:account_id>/", constants.account_edit, name="constants_account_edit"),
    path("administration/constants/accounts/<int:account_id>/delete/", constants.account_delete,
         name="constants_account_delete"),
    path("administration/constants/accounts/<int:account_id>/default/", constants.account_default,
         name="constants_account_default"),
    path("calendar/", home.calendar, name="calendar"),
    path("informer/next/", home.informer_next, name="informer_next"),
    path("informer/at-start/", home.informer_at_start, name="informer_at_start"),
    path("help/shortcuts/", home.shortcuts, name="shortcuts"),
    path("help/about/", about.about, name="about"),
    path("settings/parameters/", parameters.parameters, name="parameters"),
    path("settings/functionality/", functionality.functionality, name="functionality"),
    path("administration/jobs/", jobs.job_list, name="jobs"),
    path("administration/backups/", backups.backups, name="backups"),
    path("administration/backups/create/", backups.backup_create, name="backup_create"),
    path("administration/backups/<str:name>/", backups.backup_download, name="backup_download"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<int:job_id>/progress/", jobs.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/cancel/", jobs.job_cancel, name="job_cancel"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/poll/", notifications.poll, name="notifications_poll"),
    path("notifications/<int:notification_id>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read-all/", notifications.notification_read_all, name="notifications_read_all"),
    path("administration/message/", notifications.message_send, name="message_send"),
]
