from django.contrib import admin

from applications.models import Determination


@admin.register(Determination)
class DeterminationAdmin(admin.ModelAdmin):
    """Read-only: a determination is never edited or deleted once issued."""

    list_display = ("number", "decision", "authority_name", "amount_cny", "issued_on", "verification_code")
    list_filter = ("decision", "authority", "year")
    search_fields = ("number", "verification_code", "application__enterprise__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
