"""The schedule form's timezone <select> (jobs.forms.ZoneSelect) is Django's Select rendered
once per process: the same element, options and selection as Django's own widget."""

import re

import pytest
from django import forms

from jobs.forms import ScheduleForm


def _norm(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def _both(form) -> tuple[str, str]:
    ours = str(form["timezone"])
    form.fields["timezone"].widget = forms.Select(choices=form.fields["timezone"].choices)
    return _norm(ours), _norm(str(form["timezone"]))


@pytest.mark.parametrize("value", ["Europe/Paris", "UTC", "", None, "Not/AZone", '"><b>'])
def test_zone_select_renders_what_djangos_select_renders(value):
    initial = {} if value is None else {"timezone": value}
    ours, django = _both(ScheduleForm(initial=initial, auto_id="id_card_%s"))

    assert ours == django
    assert ours.count("<option") > 300 and ours.count(" selected") == (
        1 if value in ("Europe/Paris", "UTC") else 0)


def test_zone_select_bound_to_a_posted_zone_marks_that_zone():
    form = ScheduleForm(data={"preset": "daily", "time": "03:00", "timezone": "Asia/Tokyo"},
                        auto_id="id_card_%s")

    ours, django = _both(form)

    assert ours == django and '<option value="Asia/Tokyo" selected>' in ours


def test_zone_select_offers_each_region_once_and_keeps_a_schedules_old_alias():
    offered = dict(ScheduleForm().fields["timezone"].choices)
    kept = dict(ScheduleForm(initial={"timezone": "US/Eastern"}).fields["timezone"].choices)

    assert {"Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC"} <= set(offered)
    assert 300 < len(offered) < 400  # was every name tzdata has, ~600 with the old aliases
    assert "US/Eastern" not in offered and "Etc/GMT+5" not in offered
    assert set(kept) == set(offered) | {"US/Eastern"}  # the schedule's own zone stays


def test_zone_select_refuses_a_posted_alias_it_did_not_offer():
    form = ScheduleForm(data={"preset": "daily", "time": "03:00", "timezone": "US/Eastern"})

    assert not form.is_valid() and "timezone" in form.errors
