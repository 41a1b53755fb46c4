from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Enterprise, User
from accounts.services import account_changed


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "registered_region", "contact_person", "phone", "created_at")
    search_fields = ("name", "credit_code")


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "role", "enterprise", "jurisdiction", "is_active", "last_login")
    list_filter = ("role", "jurisdiction", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("角色 Role", {"fields": ("role", "enterprise", "jurisdiction")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("角色 Role", {"fields": ("role", "enterprise", "jurisdiction")}))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = ", ".join(form.changed_data) or "nothing"
        account_changed(user=obj, actor=request.user, note=f"admin {'changed' if change else 'created'}: {changed}")
