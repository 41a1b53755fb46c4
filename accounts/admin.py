from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Enterprise, User


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
