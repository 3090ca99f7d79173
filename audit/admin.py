from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never edited or deleted through the app."""

    list_display = ["created_at", "institution", "seq", "actor", "action", "target"]
    list_filter = ["institution", "action"]
    list_select_related = ["institution", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
