"""Fixtures of the library tests: uploaded files land in a temporary MEDIA_ROOT."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _provider_user_writes_the_library(request):
    """In these behaviour tests the world's provider user (a support agent) stands for the
    library's writer, so it is made an administrator. Since PRM-1 an agent may only read the
    library; who may write what is tested in `test_permissions.py`."""
    if "world" in request.fixturenames:
        user = request.getfixturevalue("world").provider_user
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
