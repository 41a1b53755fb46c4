"""The Django admin is for system admins and for accounts only (separation of duties): no
application data is shown there, and nobody is a superuser. Every change is audited."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts import identity
from accounts.models import Enterprise, User
from accounts.services import account_changed, clash_errors

admin.site.site_header = admin.site.site_title = _("Haidong Green Computing Policy Service · Accounts")
admin.site.index_title = _("Accounts administration")
admin.site.unregister(Group)  # roles are the `role` field, not groups


class SystemAdminOnly:
    """View, add and change for system admins; deleting is never done (rows are protected)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_system_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ("name", "credit_code", "registered_region", "contact_person", "phone", "created_at")
    search_fields = ("name", "credit_code")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = ", ".join(form.changed_data) or "nothing"
        account_changed(user=request.user, actor=request.user,
                        note=f"admin {'changed' if change else 'created'} enterprise {obj.credit_code}: {changed}")


class AccountCreationForm(UserCreationForm):
    """A new account in the admin: the same username rules as everywhere (no look-alikes)."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def clean_username(self):
        username = identity.canonical(self.cleaned_data["username"])
        if clash_errors(username=username):
            raise forms.ValidationError("用户名已被使用，或与已有用户名过于相似 / taken, or too like a taken one")
        return username


@admin.register(User)
class AccountAdmin(SystemAdminOnly, UserAdmin):
    add_form = AccountCreationForm
    list_display = ("username", "role", "enterprise", "jurisdiction", "is_active", "last_login")
    list_filter = ("role", "jurisdiction", "is_active")
    # No is_staff / is_superuser / permissions: the role decides (and the database checks it).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息 Personal", {"fields": ("first_name", "last_name", "email", "phone")}),
        ("角色 Role", {"fields": ("role", "enterprise", "jurisdiction", "is_active")}),
        ("时间 Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (*UserAdmin.add_fieldsets, ("角色 Role", {"fields": ("role", "enterprise", "jurisdiction",
                                                                      "email", "phone")}))
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        obj.is_staff = obj.role == "system_admin"
        obj.is_superuser = False
        obj.username_skeleton = identity.skeleton(obj.username)
        super().save_model(request, obj, form, change)
        changed = ", ".join(form.changed_data) or "nothing"
        account_changed(user=obj, actor=request.user, note=f"admin {'changed' if change else 'created'}: {changed}")
