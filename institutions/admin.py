from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from institutions.models import Agency, Institution, Membership, User


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "institution", "is_active"]
    list_filter = ["institution", "is_active"]
    list_select_related = ["institution"]
    search_fields = ["name", "short_name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class MonevUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "institution", "is_active"]
    list_filter = ["institution", "is_active", "is_superuser"]
    list_select_related = ["institution"]
    search_fields = ["username", "full_name", "email", "nip"]
    inlines = [MembershipInline]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Monev SPBE", {"fields": ["institution", "full_name", "nip", "position"]}),
    ]
