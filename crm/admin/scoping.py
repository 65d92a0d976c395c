"""The office boundary in the staff UI: every view fetches through `visible_to(user)`.

Wagtail's generic views load objects with `Model._default_manager`, which is unscoped
on purpose (the system needs it). These mixins put the person's scope in front of
every list, search, export, edit, delete, inspect, history, usage and bulk action.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views


def scoped_queryset(model, user):
    return model._default_manager.visible_to(user)


class OfficeScopedViewMixin:
    """For Wagtail generic views: lists show, and objects load, only in scope."""

    def get_base_queryset(self):
        return scoped_queryset(self.model, self.request.user)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if (
            not scoped_queryset(self.model, self.request.user)
            .filter(pk=obj.pk)
            .exists()
        ):
            raise Http404
        return obj


class ExportPermissionMixin:
    """Spreadsheet export only for roles with the model's export permission."""

    export_permission: str = ""

    def may_export(self) -> bool:
        return not self.export_permission or self.request.user.has_perm(
            self.export_permission
        )

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.is_export and not self.may_export():
            raise PermissionDenied

    @property
    def show_export_buttons(self):
        return bool(self.list_export) and self.may_export()

    def write_csv_row(self, writer, row_dict):
        # Wagtail already keeps XLSX cells from turning into formulas; CSV needs it
        # too, or a name like "=HYPERLINK(…)" runs when the file is opened (OWASP).
        return writer.writerow(
            {
                field: csv_cell_neutralise(
                    self.preprocess_field_value(field, value, self.FORMAT_CSV)
                )
                for field, value in row_dict.items()
            }
        )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell_neutralise(value):
    """A text cell that a spreadsheet would read as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def scoped_view_classes(export_permission: str = "") -> dict[str, type]:
    """Snippet view classes with the office scope mixed in, for a SnippetViewSet."""

    index = type(
        "ScopedIndexView",
        (ExportPermissionMixin, OfficeScopedViewMixin, snippet_views.IndexView),
        {"export_permission": export_permission},
    )
    return {
        "index_view_class": index,
        "edit_view_class": type(
            "ScopedEditView", (OfficeScopedViewMixin, snippet_views.EditView), {}
        ),
        "delete_view_class": type(
            "ScopedDeleteView", (OfficeScopedViewMixin, snippet_views.DeleteView), {}
        ),
        "history_view_class": type(
            "ScopedHistoryView", (OfficeScopedViewMixin, snippet_views.HistoryView), {}
        ),
        "usage_view_class": type(
            "ScopedUsageView", (OfficeScopedViewMixin, snippet_views.UsageView), {}
        ),
        "inspect_view_class": type(
            "ScopedInspectView", (OfficeScopedViewMixin, snippet_views.InspectView), {}
        ),
        "copy_view_class": type(
            "ScopedCopyView", (OfficeScopedViewMixin, snippet_views.CopyView), {}
        ),
    }


class OfficeScopedBulkActionMixin:
    """Bulk actions act only on selected objects in scope; a forged id is a 404."""

    def get_actionable_objects(self):
        visible = scoped_queryset(self.model, self.request.user)
        ids = [i for i in self.request.GET.getlist("id") if i != "all"]
        if "all" in self.request.GET.getlist("id"):
            objects = list(visible)
        else:
            objects = list(visible.filter(pk__in=ids))
            if len(objects) != len(set(ids)):
                raise Http404
        allowed = [obj for obj in objects if self.check_perm(obj)]
        denied = [obj for obj in objects if obj not in allowed]
        return allowed, {"items_with_no_access": denied}


class ScopedDeleteBulkAction(OfficeScopedBulkActionMixin, DeleteBulkAction):
    """Replaces the snippets' bulk delete for scoped models (same action type)."""


# --- Choosers ---------------------------------------------------------------
# A form field pointing at a snippet (an employer's parent company, a case's employer,
# an employer's insurer …) opens Wagtail's chooser modal, which lists and returns
# objects through `Model.objects` — unscoped. These views put the person's scope in
# front for every model whose manager has `visible_to`.


def _in_scope(queryset, user):
    return queryset.visible_to(user) if hasattr(queryset, "visible_to") else queryset


class _ScopedChooseList:
    def get_object_list(self):
        return _in_scope(super().get_object_list(), self.request.user)


class _ScopedChosen:
    def get_object(self, pk):
        return _in_scope(self.model_class.objects.all(), self.request.user).get(pk=pk)


class _ScopedChosenMultiple:
    def get_objects(self, pks):
        return _in_scope(super().get_objects(pks), self.request.user)


class ScopedSnippetChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = type(
        "ScopedChooseView", (_ScopedChooseList, snippet_chooser.ChooseView), {}
    )
    choose_results_view_class = type(
        "ScopedChooseResultsView",
        (_ScopedChooseList, snippet_chooser.ChooseResultsView),
        {},
    )
    chosen_view_class = type(
        "ScopedChosenView", (_ScopedChosen, snippet_chooser.SnippetChosenView), {}
    )
    chosen_multiple_view_class = type(
        "ScopedChosenMultipleView",
        (_ScopedChosenMultiple, snippet_chooser.SnippetChosenMultipleView),
        {},
    )


# Every snippet viewset (crm, cms, campaigns) gets the scoped chooser; this module is
# imported by crm's wagtail_hooks before any of them is registered.
snippet_views.SnippetViewSet.chooser_viewset_class = ScopedSnippetChooserViewSet
