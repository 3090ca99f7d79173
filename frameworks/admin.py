from django.contrib import admin

from .models import Framework, Node


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """Read-only: frameworks change only through their data files (manage.py load_frameworks)."""

    list_display = ["name", "code", "version", "provenance", "is_default", "frozen_at", "loaded_at"]
    list_filter = ["provenance", "is_default"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "name", "kind", "weight", "framework"]
    list_filter = ["framework", "kind"]
    list_select_related = ["framework"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
