from django.contrib import admin

from jobs.models import JobFailure


@admin.register(JobFailure)
class JobFailureAdmin(admin.ModelAdmin):
    """Failed jobs, kept until an operator marks them resolved (after re-running or handling them)."""

    list_display = ("failed_at", "task", "task_id", "error", "resolved")
    list_filter = ("resolved", "task")
    readonly_fields = ("task", "task_id", "arguments", "error", "traceback", "failed_at")
    fields = (*readonly_fields, "resolved")

    def has_add_permission(self, request) -> bool:
        return False
