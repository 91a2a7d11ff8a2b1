"""Read an admin change form back as POST data, as a browser would submit it."""


def form_data(response):
    """The change form as the admin rendered it, ready to post back (with its inline formsets)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                data[key] = ""
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [getattr(v, "pk", v) for v in value]
            else:
                data[key] = getattr(value, "pk", value)

    add(response.context["adminform"].form)
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data
