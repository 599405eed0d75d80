"""`updated_since` reaches the database in UTC: PostgreSQL refuses offsets beyond ±15:59 (a 500 before)."""

import datetime

import pytest
from django import forms

from api.filters import UtcIsoDateTimeField


def test_a_far_offset_is_turned_into_utc():
    moment = UtcIsoDateTimeField().clean("0130-03-02T21:20:40.700000-23:37")
    assert moment == datetime.datetime(130, 3, 3, 20, 57, 40, 700000, tzinfo=datetime.UTC)


def test_a_moment_before_year_1_in_utc_is_a_field_error():
    with pytest.raises(forms.ValidationError):
        UtcIsoDateTimeField().clean("0001-01-01T00:00:00+05:00")
