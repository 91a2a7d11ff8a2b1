"""Onboarding and passwords as the people do it: an editor adds a coordinator, the coordinator chooses a
password from the e-mailed link (sent through a real SMTP server on 127.0.0.1), and every password change
is in the admin log. Nobody sets another person's password."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.urls import reverse

from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP

from .admin_forms import add_form, change_form, errors, run_action, sent_fields, tick
from .factories import make_region, make_staff
from .mail_server import smtp_mailer

pytestmark = pytest.mark.django_db
STRONG = "ett-långt-lösenord-2026"


def link_in(body):
    return re.search(r"https?://[^/\s]+(/admin/reset/\S+/)", body).group(1)


def choose_password(app, path, password):
    page = app.get(path).follow()  # Django swaps the token in the address for one in the session
    form = page.forms[1] if "new_password1" not in page.forms[0].fields else page.forms[0]
    form["new_password1"] = form["new_password2"] = password
    return form.submit()


def log_in(app, username, password):
    page = app.get(reverse("admin:login"))
    form = page.forms["login-form"]
    form["username"], form["password"] = username, password
    return form.submit()


def test_an_editor_onboards_a_coordinator_who_chooses_their_own_password(app, smtp_inbox):
    kalmar = make_region(slug="kalmar", name="Region Kalmar län")
    eva = make_staff("eva", EDITOR_GROUP)
    eva.first_name = "Eva"
    eva.save()

    form = add_form(app, User, eva)
    assert {"password1", "password2", "usable_password"}.isdisjoint(form.fields)  # nothing to type for them
    form["username"], form["first_name"], form["email"] = "anna", "Anna", "anna@regionkalmar.se"
    response = form.submit("_continue").follow()
    assert (
        "En länk för att välja lösenord har skickats till anna@regionkalmar.se"
        in response.html.select_one(".messagelist").get_text()
    )
    anna = User.objects.get(username="anna")
    assert not anna.has_usable_password() and not anna.is_staff

    # The roles, on the page the editor lands on.
    form = response.forms["user_form"]
    tick(form, "groups", Group.objects.get(name=COORDINATOR_GROUP).pk)
    assert form.submit("_save").status_code == 302
    kalmar_form = change_form(app, kalmar, eva)
    tick(kalmar_form, "coordinators", anna.pk)
    assert kalmar_form.submit("_save").status_code == 302

    # The e-mail crossed SMTP, to her address, in Swedish, with her user name and a one-time link.
    ((recipients, message),) = smtp_inbox.messages
    assert recipients == ["anna@regionkalmar.se"] and "Välj ditt lösenord" in message["Subject"]
    body = smtp_inbox.body()
    assert "Ditt användarnamn: anna" in body and "Eva" in body
    path = link_in(body)

    app.reset()
    assert choose_password(app, path, STRONG).status_code == 302
    assert log_in(app, "anna", STRONG).status_code == 302
    assert app.get(reverse("admin:regions_region_change", args=[kalmar.pk])).status_code == 200
    app.reset()
    dead = app.get(path)  # a used link is dead: no redirect to the form, and no form
    assert dead.status_code == 200 and "new_password1" not in dead.text

    entry = LogEntry.objects.filter(object_id=str(anna.pk), change_message__contains="Lösenordet").get()
    assert entry.user_id == anna.pk and "e-postlänk" in entry.change_message


def test_an_editor_cannot_set_another_persons_password(app, client):
    eva = make_staff("eva", EDITOR_GROUP)
    olle = make_staff("olle", EDITOR_GROUP, password=STRONG)
    form = change_form(app, olle, eva)
    assert "password" not in form.fields and "Personen väljer sitt lösenord själv" in form.text
    url = reverse("admin:auth_user_password_change", args=[olle.pk])
    assert app.get(url, user=eva, expect_errors=True).status_code == 403
    client.force_login(eva)  # a crafted post, as an attacker would send it
    response = client.post(url, {"password1": "kapat-lösenord-123", "password2": "kapat-lösenord-123"})
    assert response.status_code == 403
    olle.refresh_from_db()
    assert olle.check_password(STRONG)


def test_a_forgotten_password_is_a_link_from_the_login_page_and_the_change_is_logged(app, smtp_inbox):
    olle = make_staff("olle", EDITOR_GROUP, password=STRONG)
    olle.email = "olle@tillvaxtverket.se"
    olle.save()
    page = app.get(reverse("admin:login")).click(href=reverse("admin_password_reset"))
    form = page.forms[1] if "email" not in page.forms[0].fields else page.forms[0]
    form["email"] = "OLLE@tillvaxtverket.se"
    assert form.submit().status_code == 302
    assert choose_password(app, link_in(smtp_inbox.body()), "ett-nytt-långt-lösenord-7").status_code == 302
    olle.refresh_from_db()
    assert olle.check_password("ett-nytt-långt-lösenord-7")
    assert LogEntry.objects.filter(object_id=str(olle.pk), change_message__contains="Lösenordet").count() == 1

    # An unknown address gets the same answer and no mail.
    page = app.get(reverse("admin_password_reset"))
    form = page.forms[1] if "email" not in page.forms[0].fields else page.forms[0]
    form["email"] = "okand@example.se"
    assert form.submit().status_code == 302 and len(smtp_inbox.messages) == 1


def test_an_editor_sends_a_new_link_with_the_list_action(app, smtp_inbox):
    eva = make_staff("eva", EDITOR_GROUP)
    anna = make_staff("anna", COORDINATOR_GROUP)
    anna.email = "anna@regionkalmar.se"
    anna.save()
    page = app.get(reverse("admin:auth_user_changelist"), user=eva)
    form = page.forms["changelist-form"]
    form["action"] = "send_password_links"
    tick(form, "_selected_action", anna.pk)
    response = form.submit("index").follow()
    assert "En länk skickad." in response.text
    assert smtp_inbox.messages[-1][0] == ["anna@regionkalmar.se"]


def test_a_mail_server_that_does_not_answer_is_a_message_and_the_account_stays(app, settings):
    settings.MAILERS = smtp_mailer(9, timeout=2)  # nothing listens on port 9
    eva = make_staff("eva", EDITOR_GROUP)
    form = add_form(app, User, eva)
    form["username"], form["email"] = "karin", "karin@example.se"
    response = form.submit("_continue").follow()
    assert "kunde inte skickas" in response.html.select_one(".messagelist").get_text(), errors(response)
    assert User.objects.filter(username="karin").exists()


def test_every_password_change_is_in_the_admin_log_with_who_made_it(django_user_model):
    ops = django_user_model.objects.create_superuser("drift", password=STRONG)
    olle = make_staff("olle", EDITOR_GROUP, password=STRONG)
    olle.set_password("ett-annat-långt-lösenord-1")
    olle.save()
    olle.last_name = "Olsson"
    olle.save()  # no password change: no entry
    entries = LogEntry.objects.filter(object_id=str(olle.pk), change_message__contains="Lösenordet")
    assert entries.count() == 1
    assert ops.pk != entries.get().user_id


def test_an_editor_cannot_redirect_someone_elses_password_link_to_themselves(app, client, smtp_inbox):
    eva = make_staff("eva", EDITOR_GROUP)
    lisa = make_staff("lisa", COORDINATOR_GROUP, password=STRONG)
    lisa.email = "lisa@region.se"
    lisa.save()
    form = change_form(app, lisa, eva)
    assert "email" not in form.fields  # an address, once set, is changed by operations only
    client.force_login(eva)  # a crafted post, as an attacker would send it
    data = sent_fields(form)
    data["email"] = ["eva@tillvaxtverket.se"]
    client.post(reverse("admin:auth_user_change", args=[lisa.pk]), data)
    lisa.refresh_from_db()
    assert lisa.email == "lisa@region.se"


def test_a_new_link_from_an_editor_says_who_sent_it_and_is_not_the_forgotten_password_mail(app, smtp_inbox):
    eva = make_staff("eva", EDITOR_GROUP)
    eva.first_name, eva.last_name = "Eva", "Ek"
    eva.save()
    anna = make_staff("anna", COORDINATOR_GROUP, password=STRONG)
    anna.email = "anna@regionkalmar.se"
    anna.save()
    run_action(app, User, eva, "send_password_links", [anna]).follow()
    body = smtp_inbox.body()
    assert "Eva Ek har skickat" in body and "begärt" not in body and "127.0.0.1" not in body.split("http")[0]
