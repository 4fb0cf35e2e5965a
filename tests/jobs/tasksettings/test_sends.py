"""What a run sent to Radarr, Sonarr or Overseerr: the run page's card per service and
run_job's text, from synthetic reports (old reports without sends render as before)."""

import json

import pytest
from django.utils.html import escape

from jobs.models import JobRun, Status
from jobs.textreport import render_text, send_cards

pytestmark = pytest.mark.django_db

BODY = {"title": "The Velvet Mirror", "tmdbId": 101, "qualityProfileId": 1,
        "rootFolderPath": "/movies", "tags": [1, 2], "monitored": True,
        "minimumAvailability": "released", "addOptions": {"searchForMovie": True}}


def send(service, title, state, sentence, **extra) -> dict:
    return {"service": service, "title": title, "year": 2020, "tmdb_id": 101, "state": state,
            "sentence": sentence, "scope": "Ava Owner · Movies", **extra}


REPORT = {
    "summary": "10 picks for Ava Owner",
    "services": [{"name": "TMDB", "status": "ok"},
                 {"name": "Radarr", "status": "failed", "detail": "Radarr timed out."},
                 {"name": "Sonarr", "status": "ok"}],
    "sends": [
        send("radarr", "The Velvet Mirror", "sent", "Added to Radarr with search."),
        send("radarr", "Old Lanterns", "already_there", "Already in Radarr, monitored."),
        send("radarr", "Quiet Harbour", "remonitored", "In Radarr unmonitored; monitored "
                                                      "again."),
        send("radarr", "Glass River", "failed", "Radarr timed out; sent on the next run."),
        send("sonarr", "Northern Lines", "awaiting_approval", "Waits for approval in the "
                                                             "Observatory."),
    ],
}


def a_run(report, dry_run=False, **kw) -> JobRun:
    return JobRun.objects.create(job="immaculate_taste", trigger="manual", dry_run=dry_run,
                                 status=Status.PARTIAL, report=report, **kw)


def test_send_cards_count_by_state_per_service():
    cards = send_cards(REPORT)

    assert [c["name"] for c in cards] == ["Radarr", "Sonarr"]
    assert cards[0]["counts"] == [("sent", 1), ("already there", 1), ("monitored again", 1),
                                  ("failed", 1)]
    assert cards[1]["counts"] == [("sent", 0), ("waiting for approval", 1), ("failed", 0)]
    assert cards[0]["status"]["detail"] == "Radarr timed out."


def test_run_page_shows_a_card_per_service_with_each_title(admin_client):
    run = a_run(REPORT)

    html = admin_client.get(f"/rewind/{run.pk}").content.decode()

    radarr = html[html.index('class="card service-card send-card'):]
    radarr = radarr[:radarr.index("</article>")]
    assert 'data-service="Radarr"' in radarr and "Radarr timed out." in radarr
    for text in ("sent 1", "already there 1", "monitored again 1", "failed 1",
                 "<strong>Glass River (2020)</strong> · failed",
                 "Radarr timed out; sent on the next run."):
        assert text in radarr
    assert "waiting for approval 1" in html and "Northern Lines (2020)" in html
    assert html.count('data-service="Radarr"') == 1  # the Services card is not repeated
    assert 'data-service="TMDB"' in html and "would-send" not in html


def test_run_page_dry_run_shows_each_would_be_request(admin_client):
    request = {"method": "POST", "path": "/api/v3/movie", "body": BODY}
    run = a_run({"sends": [send("radarr", "The Velvet Mirror", "to_send", "Would be added "
                                "to Radarr.", request=request)]}, dry_run=True)

    html = admin_client.get(f"/rewind/{run.pk}").content.decode()

    assert "Missing titles (would send; nothing was sent)" in html
    assert "Would send POST /api/v3/movie" in html
    body = escape(json.dumps(BODY, indent=2, sort_keys=True))  # jsonb keeps no key order
    assert f'<pre class="would-send">{body}</pre>' in html


def test_run_page_old_report_without_sends_renders_as_before(admin_client):
    run = a_run({"services": [{"name": "Radarr", "status": "not_enabled"}]})

    html = admin_client.get(f"/rewind/{run.pk}").content.decode()

    assert 'class="sends"' not in html and "Missing titles" not in html
    assert '<section class="services"><h2>Services</h2>' in html
    assert 'data-service="Radarr"' in html and "not enabled" in html


def test_text_report_prints_sends_per_service():
    text = render_text(a_run(REPORT))

    assert "\nRadarr: sent 1, already there 1, monitored again 1, failed 1:\n" in text
    assert "  Glass River (2020): failed — Radarr timed out; sent on the next run. " \
        "[Ava Owner · Movies]" in text
    assert "\nSonarr: sent 0, waiting for approval 1, failed 0:\n" in text


def test_text_report_dry_run_prints_the_would_be_requests():
    request = {"method": "POST", "path": "/api/v1/request",
               "body": {"mediaType": "movie", "mediaId": 101, "userId": 2}}
    run = a_run({"sends": [send("overseerr", "The Velvet Mirror", "to_send",
                                "Would be requested in Overseerr as alice.",
                                request=request)]}, dry_run=True)

    text = render_text(run)

    assert "\nOverseerr (dry run: would send): sent 0, to send 1, failed 0:\n" in text
    assert "    would send POST /api/v1/request\n      {\n        \"mediaId\": 101,\n" \
        "        \"mediaType\": \"movie\"," in text  # keys sorted (jsonb keeps no order)


def test_text_report_old_report_without_sends_is_unchanged():
    text = render_text(a_run({"services": [{"name": "Radarr", "status": "not_enabled"}]}))

    assert text.splitlines()[2:] == ["", "Services:", "  Radarr: not enabled"]
