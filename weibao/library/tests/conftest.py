"""Fixtures of the library tests: uploaded files land in a temporary MEDIA_ROOT."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
