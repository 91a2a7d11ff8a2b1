"""The admin as a person uses it: fetch the page, fill in the form it renders, press a button.

django-webtest parses the real response, so hidden fields, read-only fields and missing widgets behave as
they do in a browser: a field the page does not render cannot be submitted. Hand-built POST data belongs
only in the security tests that try what an attacker would send.
"""

import copy

from django.urls import reverse


def admin_url(model_or_obj, view, *args):
    opts = model_or_obj._meta
    if not args and view in {"change", "history", "delete"}:
        args = (model_or_obj.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def as_user(form, user):
    """The form, submitted as `user` whoever used the app last: each person has a browser of their own."""
    submit = form.submit
    form.submit = lambda *args, **kwargs: submit(*args, **({"user": user} | kwargs))
    return form


def change_form(app, obj, user):
    """The change form of `obj` as `user` gets it."""
    page = app.get(admin_url(obj, "change"), user=user)
    return as_user(page.forms[f"{obj._meta.model_name}_form"], user)


def add_form(app, model, user):
    page = app.get(admin_url(model, "add"), user=user)
    return as_user(page.forms[f"{model._meta.model_name}_form"], user)


def save(form, button="_save"):
    """Press Spara (or another submit button); the response, redirects not followed."""
    return form.submit(button)


def errors(response) -> str:
    """The admin's error notes on a page that was sent back, as text."""
    return " ".join(node.get_text(" ", strip=True) for node in response.html.select(".errornote, .errorlist"))


def tick(form, name, value, checked=True):
    """Tick (or untick) the checkbox of `name` whose value is `value`, as a person clicks it."""
    for box in form.fields[name]:
        if box._value == str(value):
            box.checked = checked
            return
    raise AssertionError(f"no checkbox {name}={value} on the page")


def add_inline(form, prefix):
    """Press "Lägg till ytterligare en …" under an inline: what the admin's inlines.js does, cloning the
    empty form's fields (`prefix-__prefix__-…`) as the next form and counting it in TOTAL_FORMS."""
    total = form[f"{prefix}-TOTAL_FORMS"]
    index = int(total.value)
    template = f"{prefix}-__prefix__-"
    for name, field in list(form.field_order):
        if name and name.startswith(template):
            clone = copy.copy(field)
            clone.name = name.replace("__prefix__", str(index))
            if hasattr(field, "options"):
                clone.options = list(field.options)
            form.fields.setdefault(clone.name, []).append(clone)
            form.field_order.append((clone.name, clone))
    total.value = str(index + 1)
    return index


def sent_fields(form) -> dict:
    """What a browser would send for `form` as it stands, as data for Django's test client: the starting
    point of a security test that then changes what an attacker would."""
    data = {}
    for name, value in form.submit_fields():
        data.setdefault(name, []).append(value)
    return data


def run_action(app, model, user, action, objects, query=""):
    """In the changelist: tick the rows of `objects`, choose `action`, press Utför."""
    page = app.get(admin_url(model, "changelist") + query, user=user)
    form = as_user(page.forms["changelist-form"], user)
    form["action"] = action
    for obj in objects:
        tick(form, "_selected_action", obj.pk)
    return form.submit("index")


def confirm(page):
    """Press "Ja, jag är säker" on a delete confirmation page."""
    form = next(form for form in page.forms.values() if "post" in form.fields)
    return form.submit()
