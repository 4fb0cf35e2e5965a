from django.urls import path

from jobs.views import cleanup, logs, rewind, taskmanager, webhook

app_name = "jobs"

urlpatterns = [
    path("tasks", taskmanager.task_manager, name="task_manager"),
    path("tasks/<slug:key>/run", taskmanager.run_now, name="run_now"),
    path("tasks/<slug:key>/auto-run", taskmanager.toggle_auto_run, name="auto_run"),
    path("tasks/<slug:key>/missing-titles", taskmanager.save_routing, name="routing"),
    path("tasks/<slug:key>/schedule", taskmanager.edit_schedule, name="schedule"),
    path("tasks/webhook-token", taskmanager.new_webhook_token, name="webhook_token"),
    path("runs/<int:pk>/progress", taskmanager.run_progress, name="run_progress"),
    path("runs/<int:pk>/cancel", taskmanager.cancel_run, name="cancel"),
    path("tasks/live", taskmanager.tasks_live, name="tasks_live"),
    path("rewind", rewind.run_list, name="rewind"),
    path("rewind/<int:pk>", rewind.run_detail, name="run"),
    path("logs", logs.log_lines, name="logs"),
    path("webhooks/plex", webhook.plex_webhook, name="plex_webhook"),
    path("command-center/cleanup", cleanup.cc_cleanup, name="cc_cleanup"),
]
