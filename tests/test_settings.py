"""The settings read from the environment: documented, checked, and named in every error."""

from __future__ import annotations

import pytest

from pressroom import settings
from pressroom.execution import ExportLimits
from pressroom.settings import SettingError


def test_an_unset_variable_gives_its_default(monkeypatch):
    monkeypatch.delenv("PRESSROOM_EXPORT_SECONDS", raising=False)
    assert ExportLimits().seconds == 60


def test_a_set_variable_is_read(monkeypatch):
    monkeypatch.setenv("PRESSROOM_EXPORT_SECONDS", " 45 ")
    assert ExportLimits().seconds == 45


@pytest.mark.parametrize("value", ["soon", "-1", "0", "nan", "inf"])
def test_a_value_that_is_not_a_number_in_range_names_the_variable_and_the_fix(value, monkeypatch):
    monkeypatch.setenv("PRESSROOM_EXPORT_SECONDS", value)
    with pytest.raises(SettingError, match=f"PRESSROOM_EXPORT_SECONDS={value} is not a number above 0 .*unset it"):
        ExportLimits()


def test_lists_of_names_are_split_at_commas(monkeypatch):
    monkeypatch.setenv("PRESSROOM_TRUSTED_HOSTS", " a.example, ,b.example ")
    assert settings.names("PRESSROOM_TRUSTED_HOSTS") == ("a.example", "b.example")


def test_a_variable_not_documented_cannot_be_read():
    with pytest.raises(KeyError):
        settings.text("PRESSROOM_SOMETHING_ELSE")
