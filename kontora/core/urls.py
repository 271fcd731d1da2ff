from django.urls import include, path

from kontora.core.views import (
    about,
    backups,
    calendar,
    guide,
    jobs,
    main_window,
    notifications,
    organisation,
    settings,
    structure,
)

app_name = "core"

urlpatterns = [
    path("", main_window.home, name="home"),
    path("administration/constants/", include([
        path("", organisation.constants, name="constants"),
        path("entities/new/", organisation.entity_new, name="constants_entity_new"),
        path("entities/<int:entity_id>/", include([
            path("", organisation.entity_edit, name="constants_entity_edit"),
            path("delete/", organisation.entity_delete, name="constants_entity_delete"),
            path("default/", organisation.entity_default, name="constants_entity_default"),
            path("images/", organisation.entity_images, name="constants_entity_images"),
            path("accounts/new/", organisation.account_new, name="constants_account_new"),
        ])),
        path("accounts/<int:account_id>/", include([
            path("", organisation.account_edit, name="constants_account_edit"),
            path("delete/", organisation.account_delete, name="constants_account_delete"),
            path("default/", organisation.account_default, name="constants_account_default"),
        ])),
    ])),
    path("calendar/", main_window.calendar, name="calendar"),
    path("informer/next/", main_window.informer_next, name="informer_next"),
    path("informer/at-start/", main_window.informer_at_start, name="informer_at_start"),
    path("panel/", main_window.panel, name="panel"),
    path("help/shortcuts/", main_window.shortcuts, name="shortcuts"),
    path("help/about/", about.about, name="about"),
    path("help/guide/", include([
        path("", guide.guide_index, name="guide"),
        path("search/", guide.guide_search, name="guide_search"),
        path("img/<path:name>", guide.guide_image, name="guide_image"),
        path("<str:slug>/", guide.guide_page, name="guide_page"),
    ])),
    path("settings/parameters/", settings.parameters, name="parameters"),
    path("settings/functionality/", settings.functionality, name="functionality"),
    path("administration/jobs/", jobs.job_list, name="jobs"),
    path("administration/calendar/", include([
        path("", calendar.office_calendar, name="office_calendar"),
        path("new/", calendar.office_day_new, name="office_day_new"),
        path("<int:day_id>/", calendar.office_day_edit, name="office_day"),
        path("<int:day_id>/delete/", calendar.office_day_delete, name="office_day_delete"),
    ])),
    path("administration/backups/", include([
        path("", backups.backups, name="backups"),
        path("create/", backups.backup_create, name="backup_create"),
        path("<str:name>/", backups.backup_download, name="backup_download"),
    ])),
    path("jobs/", jobs.my_jobs, name="my_jobs"),
    path("jobs/<int:job_id>/", include([
        path("", jobs.job_detail, name="job"),
        path("progress/", jobs.job_progress, name="job_progress"),
        path("cancel/", jobs.job_cancel, name="job_cancel"),
    ])),
    path("notifications/", include([
        path("", notifications.notification_list, name="notifications"),
        path("poll/", notifications.poll, name="notifications_poll"),
        path("<int:notification_id>/read/", notifications.notification_read, name="notification_read"),
        path("read-all/", notifications.notification_read_all, name="notifications_read_all"),
    ])),
    path("administration/message/", notifications.message_send, name="message_send"),
    path("administration/structure/", include([
        path("", structure.structure, name="structure"),
        path("departments/new/", structure.department_new, name="structure_department_new"),
        path("departments/<int:department_id>/", include([
            path("", structure.department_edit, name="structure_department"),
            path("delete/", structure.department_delete, name="structure_department_delete"),
            path("positions/new/", structure.position_new, name="structure_position_new"),
        ])),
        path("positions/<int:position_id>/", structure.position_edit, name="structure_position"),
        path("positions/<int:position_id>/delete/", structure.position_delete, name="structure_position_delete"),
    ])),
]
