import pytest
from django.urls import reverse

from vault import integrations, probes

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def test_plex_signin_pin_flow_saves_chosen_connection(admin_client, doubles,
                                                      service_settings):
    doubles.clear()
    started = admin_client.post(reverse("vault:plex_signin"), **HX)
    waiting = admin_client.get(reverse("vault:plex_signin_poll"), **HX)
    doubles.plextv.authorize_pin(doubles.plextv.last_pin().id)
    servers = admin_client.get(reverse("vault:plex_signin_poll"), **HX)
    choice = f"{doubles.plex.machine_identifier}|{doubles.plex.url}"

    chosen = admin_client.post(reverse("vault:plex_signin_choose"), {"connection": choice},
                               **HX)

    assert "Open plex.tv to approve" in started.content.decode()
    assert "Waiting for plex.tv" in waiting.content.decode()
    assert f'value="{choice}"' in servers.content.decode()
    assert "Currently set (…en)" in chosen.content.decode()
    assert integrations.get_config("plex").values["url"] == doubles.plex.url
    assert probes.run("plex").ok


def test_plex_signin_choose_unknown_connection_is_refused(admin_client, doubles,
                                                          service_settings):
    admin_client.post(reverse("vault:plex_signin"), **HX)
    doubles.plextv.authorize_pin(doubles.plextv.last_pin().id)
    admin_client.get(reverse("vault:plex_signin_poll"), **HX)

    response = admin_client.post(reverse("vault:plex_signin_choose"),
                                 {"connection": "evil|http://attacker"}, **HX)

    assert "Pick one of the connections listed." in response.content.decode()
    assert integrations.get_config("plex").values["url"] is None


def test_plex_signin_session_holds_no_plain_token(admin_client, doubles, service_settings):
    admin_client.post(reverse("vault:plex_signin"), **HX)
    doubles.plextv.authorize_pin(doubles.plextv.last_pin().id)
    admin_client.get(reverse("vault:plex_signin_poll"), **HX)

    stored = dict(admin_client.session)

    assert doubles.plextv.token not in repr(stored)


def test_plex_signin_anonymous_is_redirected(client, admin_user):
    response = client.post(reverse("vault:plex_signin"), **HX)

    assert response["HX-Redirect"].startswith("/login")


def test_plex_signin_stops_waiting_with_a_sentence_after_ten_minutes(admin_client, doubles,
                                                                    service_settings):
    from vault.views import plex as signin

    doubles.clear()
    admin_client.post(reverse("vault:plex_signin"), **HX)
    session = admin_client.session
    session[signin.SESSION_PIN] = {**session[signin.SESSION_PIN],
                                   "started": session[signin.SESSION_PIN]["started"] - 601}
    session.save()
    doubles.plextv.authorize_pin(doubles.plextv.last_pin().id)  # too late: nobody is asking

    late = admin_client.get(reverse("vault:plex_signin_poll"), **HX).content.decode()

    assert "within 10 minutes, so this page stopped waiting" in late
    assert "hx-trigger" not in late  # the polling ends with the sentence
    assert signin.SESSION_PIN not in admin_client.session
    assert not integrations.get_config("plex").values["url"]


def test_plex_signin_server_picker_shows_whole_urls(admin_client, doubles, service_settings):
    doubles.clear()
    admin_client.post(reverse("vault:plex_signin"), **HX)
    doubles.plextv.authorize_pin(doubles.plextv.last_pin().id)

    servers = admin_client.get(reverse("vault:plex_signin_poll"), **HX).content.decode()

    assert 'class="server-picker"' in servers
    assert f"<code>{doubles.plex.url}</code>" in servers
