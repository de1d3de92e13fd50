"""What the demo left behind that matters outside a demo."""

from __future__ import annotations

import functools

from django.contrib.auth.hashers import check_password

from weibao.accounts.models import User
from weibao.demo.build import DEMO_PASSWORD, USERS


def usernames_with_demo_password() -> list[str]:
    """The active demo accounts whose password is still the public demo password.

    Checking a hash costs ~0.26 s (the production hasher), so each distinct hash is checked
    once per process; the demo gives its accounts one shared hash."""
    demo_names = [username for username, *_rest in USERS]
    rows = User.objects.filter(username__in=demo_names, is_active=True).values_list(
        "username", "password"
    )
    return sorted(name for name, hashed in rows if _is_demo_password(hashed))


@functools.lru_cache(maxsize=256)
def _is_demo_password(hashed: str) -> bool:
    return check_password(DEMO_PASSWORD, hashed)
