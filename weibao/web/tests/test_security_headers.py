"""Headers and sessions (issue 11 #9): a Content-Security-Policy that allows no inline script
(and pages that need none), HTTPS-only cookies and HSTS behind TLS, no cached copies of
signed-in pages, the API's schema and docs behind a login, the demo password warning."""

import json
import os
import re
import subprocess
import sys
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import override_settings

from weibao.testing import factories as f

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/(?:ld\+)?json)[^>]*>", re.I
)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
LINK = re.compile(r"""href=["'](/[^"']*)["']""")
SKIP = ("/accounts/logout", "/i18n/", "/static/", "/media/", "/api/", "/admin/")
FILE = re.compile(r"\.[a-z0-9]+$|/(?:export|download|pdf|docx|xlsx)\b")  # files, not pages


def _script_src(csp: str) -> str:
    return next(d for d in csp.split(";") if d.strip().startswith("script-src")).strip()


def _walk(client, start="/", limit=45):
    """The pages a signed-in user reaches by following links from the home page (HTML only)."""
    seen, queue, pages = {start}, deque([start]), []
    while queue and len(pages) < limit:
        url = queue.popleft()
        answer = client.get(url)
        if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
            continue
        body = answer.content.decode()
        pages.append((url, answer, body))
        for link in LINK.findall(body):
            link = urldefrag(link)[0]
            path = urlsplit(link).path
            if link not in seen and not path.startswith(SKIP) and not FILE.search(path):
                seen.add(link)
                queue.append(link)
    return pages


@pytest.mark.parametrize("who", ["admin", "user_a"])
def test_every_reachable_page_has_the_policy_and_no_inline_script(client, world, who):
    client.force_login(getattr(world, who))
    pages = _walk(client)
    assert len(pages) > 8
    for url, answer, body in pages:
        csp = answer["Content-Security-Policy"]
        assert _script_src(csp) == "script-src 'self'", url
        assert "unsafe-inline" not in _script_src(csp) and "unsafe-eval" not in csp
        assert not INLINE_SCRIPT.search(body), (url, INLINE_SCRIPT.search(body).group(0))
        assert not INLINE_HANDLER.search(body), (url, INLINE_HANDLER.search(body).group(0))
        assert "no-store" in answer["Cache-Control"], url


def test_login_admin_and_api_docs_pages_have_no_inline_script(client, world):
    for url in ("/accounts/login/", "/admin/login/"):
        answer = client.get(url)
        assert "Content-Security-Policy" in answer
        assert not INLINE_SCRIPT.search(answer.content.decode()), url
    client.force_login(world.admin)
    for url in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{world.admin.pk}/change/",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert not INLINE_SCRIPT.search(answer.content.decode()), url
    docs = client.get("/api/docs/")
    assert not INLINE_SCRIPT.search(docs.content.decode())
    script = re.search(r'<script src="([^"]+script=[^"]*)"', docs.content.decode()).group(1)
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200 and "SwaggerUIBundle" in init.content.decode()


def test_htmx_injects_no_inline_style_and_evaluates_no_code(client, world):
    client.force_login(world.user_a)
    body = client.get("/").content.decode()
    assert """"includeIndicatorStyles": false""" in body
    assert """"allowEval": false""" in body
    css = client.get("/static/web/weibao.css")
    assert b".htmx-indicator" in b"".join(css.streaming_content)


def test_autosubmit_and_clear_behaviour_lives_in_the_static_script(client):
    script = b"".join(client.get("/static/web/weibao.js").streaming_content).decode()
    assert "[data-autosubmit]" in script and "[data-clear]" in script


def test_signed_in_pages_and_api_answers_are_not_stored(client, api, world):
    from rest_framework.authtoken.models import Token

    assert "no-store" not in client.get("/sites/").get("Cache-Control", "")  # a redirect to login
    client.force_login(world.user_a)
    page = client.get("/sites/")
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    token = Token.objects.create(user=world.user_a)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert "no-store" in api.get("/api/sites/")["Cache-Control"]


def test_schema_and_docs_need_a_login_unless_a_setting_opens_them(client, world):
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code == 401
    with override_settings(WEIBAO_API_DOCS_PUBLIC=True):
        assert client.get("/api/schema/").status_code == 200
        assert client.get("/api/docs/").status_code == 200
    client.force_login(world.user_a)
    assert client.get("/api/schema/").status_code == 200


def _settings_under(env: dict) -> dict:
    """Settings as a fresh process with `env` loads them (they are read at start)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ('SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER')}))"
    )
    environment = {k: v for k, v in os.environ.items() if k != "WEIBAO_HTTPS"}
    environment.update(DJANGO_SETTINGS_MODULE="weibao.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_secure_cookies_and_hsts_only_when_the_deployment_is_behind_tls():
    plain = _settings_under({})
    assert plain["SESSION_COOKIE_SECURE"] is False and plain["CSRF_COOKIE_SECURE"] is False
    assert not plain["SECURE_HSTS_SECONDS"]
    tls = _settings_under({"WEIBAO_HTTPS": "true"})
    assert tls["SESSION_COOKIE_SECURE"] is True and tls["CSRF_COOKIE_SECURE"] is True
    assert tls["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert tls["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_behind_tls_answers_carry_hsts_and_the_session_cookie_is_https_only(client, world):
    with override_settings(
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        SECURE_HSTS_SECONDS=31536000,
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
    ):
        page = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
        assert page["Strict-Transport-Security"].startswith("max-age=31536000")
        assert page.cookies["csrftoken"]["secure"]
    plain = client.get("/accounts/login/")
    assert "Strict-Transport-Security" not in plain


def test_admin_warns_while_demo_accounts_keep_the_demo_password(client, settings):
    from django.contrib.auth.hashers import make_password

    from weibao.demo.build import DEMO_PASSWORD

    settings.WEIBAO_DEMO = False
    f.UserFactory(username="agent", password=make_password(DEMO_PASSWORD))
    admin = f.UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert "演示密码" in page and "agent" in page
    settings.WEIBAO_DEMO = True
    assert "演示密码" not in client.get("/admin/").content.decode()
    settings.WEIBAO_DEMO = False
    agent = type(admin).objects.get(username="agent")
    agent.set_password("a-new-Secret-2026")
    agent.save()
    assert "演示密码" not in client.get("/admin/").content.decode()
