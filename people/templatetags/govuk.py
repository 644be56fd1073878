"""Render Django form fields with GOV.UK Frontend markup: labels, hints, errors, fieldsets."""

from django import template
from django.forms import BoundField

register = template.Library()

_TEMPLATES = {
    "radioselect": "includes/field_choices.html",
    "checkboxselectmultiple": "includes/field_choices.html",
    "checkbox": "includes/field_checkbox.html",
    "govukdate": "includes/field_date.html",
    "select": "includes/field_select.html",
    "textarea": "includes/field_textarea.html",
}


def is_optional(field: BoundField) -> bool:
    """Whether the label says "(optional)": the field may be left blank whatever else is
    entered. A field named in the form's `conditionally_required` is not marked optional: one
    of a group must be given (a date of birth or an expected date of birth), a rule the
    form's clean() checks and the fields' hints spell out."""
    conditional = getattr(field.form, "conditionally_required", ())
    return not field.field.required and field.name not in conditional


@register.inclusion_tag("includes/field.html")
def govuk_field(field: BoundField, width: str = "", heading: str = ""):
    """One form field, as the GOV.UK Design System lays it out."""
    widget_type = field.widget_type
    choices_kind = "radios" if widget_type == "radioselect" else "checkboxes"
    return {
        "field": field,
        "optional": is_optional(field),
        "template": _TEMPLATES.get(widget_type, "includes/field_input.html"),
        "choices_kind": choices_kind,
        "width": width,
        "heading": heading,
        "hint_id": f"{field.auto_id}-hint",
        "error_id": f"{field.auto_id}-error",
    }


@register.filter
def summary_errors(form) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary: form-wide errors first, then each field's in
    the order the fields appear on the page, as the GOV.UK error summary pattern asks."""
    items = [("", message) for message in form.non_field_errors()]
    for name in form.fields:
        for message in form.errors.get(name, []):
            items.append((_anchor(form, name), message))
    return items


def _anchor(form, name: str) -> str:
    """The id an error summary link jumps to: the field, or the first box of a date."""
    field = form[name]
    if field.widget_type == "govukdate":
        return f"{field.auto_id}_0"
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (counts per kind, labels per key, hints per choice); a
    choice's value is looked up as text too, as the form gives it."""
    if not hasattr(mapping, "get"):
        return None
    found = mapping.get(key)
    return found if found is not None else mapping.get(str(key))


@register.filter
def bound_field(form, name: str):
    """form[name] in a template, for fields a form adds per record (a child's targets)."""
    return form[name]
