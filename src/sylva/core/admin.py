"""The Django admin's guard of confidential fields (see :mod:`sylva.core.confidential`).

Every ModelAdmin and inline of Sylva derives from :class:`SylvaModelAdmin` /
:class:`SylvaTabularInline` / :class:`SylvaStackedInline`; those of Django and of libraries
are wrapped in the same guard when the apps are ready (:func:`guard_site`). The guard:

- **refuses** (HTTP 400, ``DisallowedModelAdminLookup``) every URL lookup or filter that
  reaches a confidential field, on the model itself or through any chain of relations
  (``?body__startswith=``, ``?exchange__messages__body__regex=``…), every ``?q=`` search
  and every ordering (``?o=``, ``ordering``, ``admin_order_field``) that would read one;
- **never displays** them: they are left out of every form, fieldset, read-only field and
  column; a line says which fields are private instead;
- **refuses deletion** of rows that hold someone's private words (and so, through Django's
  own check of the related objects' permissions, of any parent whose deletion would
  cascade onto them);
- and a system check (``sylva.E001``, ``sylva.E002``) refuses at start an admin whose
  configuration names a confidential field, or an admin without the guard.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.views.main import ChangeList
from django.core import checks
from django.db.models import F, Model
from django.db.models.expressions import OrderBy
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sylva.core import confidential
from sylva.core.errors import ServiceError
from sylva.core.web import apply_error

PRIVATE = _("[private to the people who wrote it]")
NOTICE = "private_contents"


def _refuse(model: type[Model], what: str) -> DisallowedModelAdminLookup:
    return DisallowedModelAdminLookup(
        f"{what} reaches a confidential field of {model._meta.label}: refused."
    )


def _order_names(items: Iterable[Any]) -> Iterator[str]:
    for item in items:
        if isinstance(item, str):
            yield item
            continue
        expression = item.expression if isinstance(item, OrderBy) else item
        if isinstance(expression, F):
            yield expression.name
        elif hasattr(expression, "flatten"):
            for node in expression.flatten():
                if isinstance(node, F):
                    yield node.name


class GuardedChangeList(ChangeList):
    def get_ordering(self, request: HttpRequest, queryset: Any) -> list[Any]:
        ordering = super().get_ordering(request, queryset)
        for name in _order_names(ordering):
            if confidential.touches(self.model, name):
                raise _refuse(self.model, f"Ordering by {name!r}")
        return ordering


class ConfidentialMixin:
    """The guard, for a ModelAdmin or an inline (see the module's docstring)."""

    model: type[Model]
    #: refuse deleting rows of a model with confidential fields (people's private words)
    protect_private_rows: bool = True

    # --- never displayed ---------------------------------------------------------------

    def _private(self) -> frozenset[str]:
        return confidential.fields_of(self.model)

    def _visible(self, names: Iterable[Any]) -> list[Any]:
        private = self._private()
        return [n for n in names if not (isinstance(n, str) and n in private)]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = super().get_exclude(request, obj)  # type: ignore[misc]
        private = self._private()
        if not private:
            return excluded
        return [*(excluded or ()), *sorted(private - set(excluded or ()))]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = self._visible(super().get_fields(request, obj))  # type: ignore[misc]
        if self._private() and NOTICE not in fields:
            fields.append(NOTICE)
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        cleaned = []
        for name, options in fieldsets:
            options = dict(options)
            options["fields"] = [
                tuple(self._visible(f)) if isinstance(f, (list, tuple)) else f
                for f in self._visible(options.get("fields", ()))
            ]
            cleaned.append((name, options))
        return cleaned

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = self._visible(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if self._private() and NOTICE not in readonly:
            readonly.append(NOTICE)
        return readonly

    @admin.display(description=_("private contents"))
    def private_contents(self, obj: Any) -> str:
        fields = [self.model._meta.get_field(n) for n in self._private()]
        names = sorted(str(getattr(f, "verbose_name", f.name)) for f in fields)
        return f"{', '.join(names)}: {PRIVATE}"

    # --- never read by a lookup, a search or an ordering ------------------------------

    def lookup_allowed(self, lookup: str, value: Any, request: Any = None) -> bool:
        if confidential.touches(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]

    def get_ordering(self, request: HttpRequest) -> Any:
        ordering = super().get_ordering(request)  # type: ignore[misc]
        for name in _order_names(ordering or ()):
            if confidential.touches(self.model, name):
                raise _refuse(self.model, f"Ordering by {name!r}")
        return ordering

    def get_sortable_by(self, request: HttpRequest) -> Any:
        return self._visible(super().get_sortable_by(request))  # type: ignore[misc]

    def get_list_display(self, request: HttpRequest) -> Any:
        return self._visible(super().get_list_display(request))  # type: ignore[misc]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        if search_term:
            for name in self.get_search_fields(request):  # type: ignore[attr-defined]
                if confidential.touches(self.model, name):
                    raise _refuse(self.model, f"Searching {name!r}")
        return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> Any:
        return GuardedChangeList

    # --- never deleted -----------------------------------------------------------------

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.protect_private_rows and self._private():
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


class SylvaModelAdmin(ConfidentialMixin, admin.ModelAdmin):
    """The base of every ModelAdmin of Sylva."""


class SylvaTabularInline(ConfidentialMixin, admin.TabularInline):
    pass


class SylvaStackedInline(ConfidentialMixin, admin.StackedInline):
    pass


class ReadOnlyMixin:
    """An admin that shows rows and never writes them: their writes carry business rules
    that only a service applies (an exchange's state machine, a person's consent…)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- the guard of admins that Sylva does not write (Django's, libraries') -------------


def _guarded(cls: type, base: type = ConfidentialMixin) -> type:
    attrs: dict[str, Any] = {"__module__": cls.__module__, "guarded_from": cls}
    attrs["protect_private_rows"] = False  # e.g. a user account: deactivate it rather
    inlines = getattr(cls, "inlines", None)
    if inlines:
        attrs["inlines"] = [i if issubclass(i, ConfidentialMixin) else _guarded(i) for i in inlines]
    return type(f"Guarded{cls.__name__}", (base, cls), attrs)


def guard_site(site: admin.AdminSite) -> None:
    """Wrap every registered admin that lacks the guard (called when the apps are ready)."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, ConfidentialMixin):
            continue
        guarded = _guarded(type(model_admin))
        site.unregister(model)
        site.register(model, guarded)


# --- the system check ------------------------------------------------------------------

_NAMED = (
    "list_display",
    "list_display_links",
    "list_editable",
    "search_fields",
    "ordering",
    "sortable_by",
    "fields",
    "readonly_fields",
    "autocomplete_fields",
    "raw_id_fields",
    "filter_horizontal",
    "filter_vertical",
    "radio_fields",
    "prepopulated_fields",
)


_DISPLAYED = {"fields", "fieldsets", "readonly_fields", "list_display", "list_display_links"}


def _named_options(model_admin: Any) -> Iterator[tuple[str, str]]:
    """The names in the options of _NAMED, with the order field of a callable column."""
    for option in _NAMED:
        for name in getattr(model_admin, option, None) or ():
            if isinstance(name, str):
                yield option, name
            else:
                yield from ((option, n) for n in _order_names([name]))
            attr = getattr(model_admin, name, None) if isinstance(name, str) else name
            order_field = getattr(attr, "admin_order_field", None)
            if order_field is not None:
                for n in _order_names([order_field]):
                    yield f"{option} (admin_order_field)", n


def _filter_names(model_admin: Any) -> Iterator[tuple[str, str]]:
    for item in getattr(model_admin, "list_filter", None) or ():
        name = item[0] if isinstance(item, (list, tuple)) else item
        if isinstance(name, str):
            yield "list_filter", name
    if getattr(model_admin, "date_hierarchy", None):
        yield "date_hierarchy", model_admin.date_hierarchy


def _fieldset_names(model_admin: Any) -> Iterator[tuple[str, str]]:
    for _name, options in getattr(model_admin, "fieldsets", None) or ():
        for field in options.get("fields", ()):
            for f in field if isinstance(field, (list, tuple)) else (field,):
                if isinstance(f, str):
                    yield "fieldsets", f


def _configured_names(model_admin: Any) -> Iterator[tuple[str, str]]:
    """Every field name an admin's configuration names: (option, name)."""
    yield from _named_options(model_admin)
    yield from _filter_names(model_admin)
    yield from _fieldset_names(model_admin)


def admin_problems(site: admin.AdminSite) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for model, model_admin in site._registry.items():
        parts = [(model, model_admin)]
        parts += [(inline.model, inline) for inline in getattr(model_admin, "inlines", ())]
        for part_model, part in parts:
            guarded = isinstance(part, ConfidentialMixin) or (
                isinstance(part, type) and issubclass(part, ConfidentialMixin)
            )
            label = getattr(part, "__name__", type(part).__name__)
            if not guarded:
                problems.append(
                    checks.Error(
                        f"{label} ({part_model._meta.label}) is not guarded.",
                        hint="Derive it from sylva.core.admin.SylvaModelAdmin or an inline of "
                        "that module.",
                        obj=part,
                        id="sylva.E002",
                    )
                )
            foreign = getattr(part, "guarded_from", None) is not None
            for option, name in _configured_names(part):
                if foreign and option in _DISPLAYED:
                    continue  # a library's form: the guard leaves the field out of it
                if confidential.touches(part_model, name):
                    problems.append(
                        checks.Error(
                            f"{label}.{option} names {name!r}, which reaches a confidential field.",
                            hint="Confidential fields are never shown, filtered, searched or "
                            "ordered on in the admin (sylva.core.confidential).",
                            obj=part,
                            id="sylva.E001",
                        )
                    )
    return problems


@checks.register(checks.Tags.admin)
def check_admin_confidentiality(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    return admin_problems(admin.site)


_REFUSAL = "_sylva_admin_refusal"


class ServiceAdmin(SylvaModelAdmin):
    """An admin whose save runs a service (in ``save_model``): when the service refuses,
    everything the save did is rolled back and the form is shown again with the refusal on
    the field it names, as a page shows it (never a 500)."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as exc:  # rolled back by the admin's own transaction
            setattr(request, _REFUSAL, exc)  # the form of the second pass shows it
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        refusal: ServiceError | None = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form
        error: ServiceError = refusal

        class Refused(form):  # type: ignore[misc, valid-type]
            def clean(self) -> Any:
                data = super().clean()
                apply_error(self, error)
                return data

        return Refused


__all__ = [
    "ConfidentialMixin",
    "InlineModelAdmin",
    "ReadOnlyMixin",
    "ServiceAdmin",
    "SylvaModelAdmin",
    "SylvaStackedInline",
    "SylvaTabularInline",
    "guard_site",
]
