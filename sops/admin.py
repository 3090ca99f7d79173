from django.contrib import admin

from .models import Sop, SopStep


class ReadOnlyMixin:
    """SOPs change only by loading a definition file (manage.py load_sop)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SopStepInline(ReadOnlyMixin, admin.TabularInline):
    model = SopStep
    fields = ["number", "activity", "actors", "time_label", "time_value", "time_unit", "output"]
    extra = 0


@admin.register(Sop)
class SopAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "institution", "code", "version", "loaded_at"]
    list_filter = ["institution"]
    search_fields = ["name", "code"]
    inlines = [SopStepInline]
