"""Every page in English, as each role of the demo: no Chinese interface text.

The demo world is loaded once for the module. Each role signs in with the language switch
set to English, opens its home, every page of its menu, and one page of each kind linked from
those (a ticket, a site, an asset, a repair…). What is left on a page once the data values are
taken out — every text stored in a row of the database, which the demo writes in Chinese — must
have no CJK character or full-width punctuation. Event sentences are not data: they are
stored as an id plus parameters and read in the reader's language, so their stored Chinese
copy (`ChangeLog.message`) and their ids, nested ones included, are not taken out; a
sentence stored without an id (older rows, free text) reads as stored and is data.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
WORDS = re.compile(r"[\s<>\"'=]+")
LINK = re.compile(r"""<a\b[^>]*\bhref=["']([^"'#]+)["']""")
TRUNCATED = re.compile(r">([^<>]+)…\s*<")  # a text shortened by `truncatechars`
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S)

# The demo's login of each role the pages are walked as.
ROLES = {
    "agent": "support agent",
    "engineer": "engineer",
    "manager": "maintenance manager",
    "keeper": "spare-parts keeper",
    "account": "account manager",
    "admin": "administrator",
    "customer": "customer user",
    "leader": "customer leader",
}
# Not pages to read: leaving, switching language, files, the Django admin's own screens.
SKIP = re.compile(
    r"^/(api|static|media|i18n|accounts/logout|admin/.+)"
    r"|/(download|export|pdf|xlsx|docx|file|attachment|print|template)s?(/|$|\?)"
    r"|[?&](format|export)="
    r"|\.(pdf|xlsx|docx|csv|zip|png|jpg)$"
)
# Stored text that is not data: the Chinese copy of an event sentence.
NOT_DATA = {"core.changelog": {"message", "message_id"}}


@pytest.fixture(autouse=True)
def _language_restored():
    """A request in English leaves English active in this thread (the language middleware
    activates the reader's language); later tests expect the default."""
    from django.utils import translation

    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo world for this module, rolled back at its end."""
    from weibao.demo.build import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield _data_values()
        transaction.set_rollback(True)


def _data_values() -> list[str]:
    """Every Chinese text stored in the database, longest first (so a name is taken out
    whole before a shorter name it contains)."""
    from weibao.accounts.models import User
    from weibao.core.models import ChangeLog

    values: set[str] = set()
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        skipped = NOT_DATA.get(model._meta.label_lower, set())
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and f.attname not in skipped
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                values.update(_texts(value))
    # an event written as a plain sentence (older rows, free text) reads as stored: data
    values.update(
        text
        for message in ChangeLog.objects.filter(message_id="").values_list("message", flat=True)
        for text in _texts(message)
    )
    # a customer sees the provider's staff by role and surname (accounts.display)
    values.update(name[0] for name in User.objects.values_list("full_name", flat=True) if name)
    return sorted(values, key=len, reverse=True)


def _texts(value) -> list[str]:
    if isinstance(value, str):
        lines = [value, *value.splitlines()]
        return [line.strip() for line in lines if CJK.search(line)]
    if isinstance(value, dict):
        if "text" in value and set(value) <= {"text", "params"}:  # a nested event sentence
            return _texts(value.get("params") or {})
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return []


def _kind(path: str) -> str:
    """Pages of one kind: the same path with other ids (a second ticket adds nothing)."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _links(page: str) -> list[str]:
    found = []
    for href in LINK.findall(page):
        href = html.unescape(href)
        if href.startswith("/") and not href.startswith("//") and not SKIP.search(href):
            found.append(href)
    return found


def _interface_text(page: str, data: list[str]) -> str:
    text = html.unescape(HIDDEN.sub("", page))
    text = TRUNCATED.sub(lambda m: _cut(m, data), text)
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    for _code, name in settings.LANGUAGES:  # the language switch names each in itself
        text = text.replace(name, "")
    return text


def _cut(match: re.Match, data: list[str]) -> str:
    """A shortened data value is a data value."""
    start = match.group(1).strip()
    if any(value.startswith(start) for value in data):
        return "><"
    return match.group(0)


def walk(username: str, data: list[str]) -> tuple[list[str], list[str]]:
    """The pages opened and what each shows in Chinese: home, menu pages (depth 1), one of
    each kind linked from those (depth 2)."""
    from weibao.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    seen, opened, problems = set(), [], []
    frontier = ["/"]
    for depth in range(3):
        following = []
        for path in frontier:
            if _kind(path) in seen:
                continue
            seen.add(_kind(path))
            response = client.get(path)
            if response.status_code >= 500:
                error = getattr(response, "exc_info", None)
                problems.append(f"{path}: answered {response.status_code} {error and error[1]!r}")
                continue
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            opened.append(path)
            page = response.content.decode()
            left = _interface_text(page, data)
            snippets = sorted({w for w in WORDS.split(left) if CJK.search(w)})
            if snippets:
                problems.append(f"{path}: {' | '.join(snippets[:15])}")
            if depth < 2:
                following += _links(page)
        frontier = following
    return opened, problems


@pytest.mark.parametrize("username", list(ROLES), ids=list(ROLES.values()))
def test_every_page_of_a_role_reads_in_english(demo, db, username):
    opened, problems = walk(username, demo)
    assert len(opened) > 5, f"only {opened} opened"
    assert not problems, (
        f"Chinese interface text on {len(problems)} of {len(opened)} English pages "
        f"for {ROLES[username]}:\n" + "\n".join(problems)
    )


def test_every_stored_code_has_a_label(demo, db):
    """Every value of a field with choices in the demo world is one of its choices, so it
    reads as its label (in either language), never as a raw code."""
    unlabelled = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            known = {str(code) for code, _label in field.flatchoices}
            stored = model._base_manager.values_list(field.attname, flat=True).distinct()
            unlabelled += [
                f"{model._meta.label}.{field.name} = {value!r}"
                for value in stored
                if value not in (None, "") and str(value) not in known
            ]
    assert not unlabelled, "codes without a label: " + "; ".join(unlabelled)


def test_the_analysis_report_exports_in_english(demo, db):
    """The Excel export of the demo's report, in English: the sheet of report information,
    one sheet per numbered section, headings in English."""
    import io

    from django.utils import translation
    from openpyxl import load_workbook

    from weibao.reporting import exports
    from weibao.reporting.models import AnalysisReport

    report = AnalysisReport.objects.exclude(figures={}).first()
    with translation.override("en"):
        book = load_workbook(io.BytesIO(exports.render(report, "xlsx")))
    info = book.worksheets[0]
    assert info.title == "Report information"
    assert info["A1"].value.endswith("system operations analysis report")
    headings = book.sheetnames[1:]
    assert headings[0] == "1. Overview"
    assert all(re.match(r"\d+\. [A-Z]", name) and not CJK.search(name) for name in headings)
