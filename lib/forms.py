"""Form helpers shared by the apps' pages (forms only shape input; services validate and write)."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, exc: ValidationError, default_field: str | None = None, *, keep_existing: bool = False
) -> None:
    """Show a service's ValidationError on the form: on its fields when keyed, else on ``default_field``.

    With ``keep_existing``, a field Django already refused (an invalid choice, not a number)
    keeps its own message instead of gaining the service's.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(default_field, exc)
        return
    for name, errors in exc.error_dict.items():
        if name in form.fields:
            if not (keep_existing and name in form.errors):
                form.add_error(name, errors)
        else:
            form.add_error(default_field, errors)


def bootstrap(form: forms.Form) -> None:
    """Give every widget of the form its Bootstrap 5 class (kept if the field set one)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class BootstrapMixin:
    """Style a form's widgets for Bootstrap 5 when it is built."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
