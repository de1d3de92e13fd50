"""The English UI is complete: every string the source marks for translation has a
reviewed English translation in the committed catalogue, and the compiled catalogue
the server loads says the same.

Pure Python (no gettext tools): the .po is parsed here, the msgids are read from the
source the way `makemessages` finds them (gettext calls in Python, Django's own
`templatize` for templates). After adding or changing a UI string run `make messages`
and translate what it marks untranslated or fuzzy in weibao/locale/en/LC_MESSAGES/django.po.
"""

import ast
import gettext
import io
import re
import tokenize
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "weibao" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# keyword -> (index of the context argument or None, index of msgid, index of msgid_plural)
KEYWORDS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "event_text": (None, 0, None),  # weibao.core.events: translated when the event is read
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
TEMPLATE_CALL = re.compile(rf"\b(?:n?p?gettext)\(\s*{_LITERAL}(?:\s*,\s*(?:{_LITERAL}|\w+))*\s*\)")
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def parse_po(text: str) -> list[dict]:
    """The catalogue's live entries: msgctxt/msgid/msgid_plural/msgstr[...] and flags."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        entry: dict = {"flags": set(), "msgstr": {}}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry = None
                break
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif m := re.match(
                r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line
            ):
                key, index = m.group(1), m.group(2)
                field = ("msgstr", int(index or 0)) if key.startswith("msgstr") else key
                value = ast.literal_eval(m.group(3))
                if isinstance(field, tuple):
                    entry["msgstr"][field[1]] = value
                else:
                    entry[field] = value
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if isinstance(field, tuple):
                    entry["msgstr"][field[1]] += value
                else:
                    entry[field] += value
            else:
                raise AssertionError(f"unreadable line in {PO.name}: {line!r}")
        if entry is not None and entry.get("msgid"):
            entries.append(entry)
    return entries


def _strings(tokens: list, start: int) -> tuple[list, int]:
    """The literal arguments of a call whose "(" is at `start` (None where not a literal)."""
    args, current, depth, i = [], [], 0, start
    literal = True
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
            if depth > 1:
                literal = False
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
            if depth == 0:
                args.append("".join(current) if literal and current else None)
                return args, i
        elif depth == 1 and tok.type == tokenize.OP and tok.string == ",":
            args.append("".join(current) if literal and current else None)
            current, literal = [], True
        elif tok.type == tokenize.STRING and depth == 1:
            prefix = re.match(r"[A-Za-z]*", tok.string).group().lower()
            if "f" in prefix or "b" in prefix:
                literal = False
            else:
                current.append(ast.literal_eval(tok.string))
        elif tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            literal = False
        i += 1
    return args, i


def msgids_in(code: str) -> set[tuple]:
    """(msgctxt, msgid) of every gettext call with literal arguments, as xgettext reads them."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return set()
    found = set()
    for i, tok in enumerate(tokens[:-1]):
        if tok.type != tokenize.NAME or tok.string not in KEYWORDS:
            continue
        if i and tokens[i - 1].type == tokenize.OP and tokens[i - 1].string == ".":
            continue  # a method of the same name, e.g. translation.gettext is still found below
        nxt = tokens[i + 1]
        if nxt.type != tokenize.OP or nxt.string != "(":
            continue
        ctx_at, id_at, _plural_at = KEYWORDS[tok.string]
        args, _end = _strings(tokens, i + 1)
        if len(args) <= id_at or not args[id_at]:
            continue
        ctx = args[ctx_at] if ctx_at is not None and len(args) > ctx_at else None
        found.add((ctx, args[id_at]))
    return found


def source_msgids() -> dict[tuple, str]:
    """Every msgid `make messages` would extract, with the first file that uses it."""
    found: dict[tuple, str] = {}
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if any(part.startswith(".") or part.endswith("~") for part in rel.parts):
            continue
        if rel.parts[0] in {"var", "node_modules"} or path.suffix not in {".py", ".html", ".txt"}:
            continue
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            code = text
        else:
            if "trans" not in text:
                continue
            # templatize() turns the tags into gettext calls amid filler that is not Python
            code = "\n".join(TEMPLATE_CALL.findall(templatize(text, origin=str(rel))))
        for key in msgids_in(code):
            found.setdefault(key, str(rel))
    return found


@pytest.fixture(autouse=True)
def _language_restored():
    """A request in English leaves English active in this thread (the language middleware
    activates the reader's language); later tests expect the default."""
    from django.utils import translation

    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return parse_po(PO.read_text(encoding="utf-8"))


def test_no_entry_is_untranslated_or_fuzzy(catalogue):
    undone = [
        e["msgid"] for e in catalogue if "fuzzy" in e["flags"] or not all(e["msgstr"].values())
    ]
    assert not undone, (
        f"{len(undone)} entries of the English catalogue are untranslated or fuzzy "
        f"(translate them in {PO.relative_to(ROOT)}): {undone[:20]}"
    )


def test_every_source_string_is_in_the_catalogue(catalogue):
    known = {(e.get("msgctxt"), e["msgid"]) for e in catalogue}
    missing = {key: where for key, where in source_msgids().items() if key not in known}
    assert not missing, (
        f"{len(missing)} UI strings have no English entry; run `make messages` and translate: "
        + "; ".join(f"{msgid!r} ({where})" for (_ctx, msgid), where in list(missing.items())[:20])
    )


def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for e in catalogue:
        if "python-format" not in e["flags"]:
            continue
        source = set(PLACEHOLDER.findall(e["msgid"] + e.get("msgid_plural", "")))
        for index, text in e["msgstr"].items():
            used = set(PLACEHOLDER.findall(text))
            # a plural's singular may leave the count out ("one item"), never invent a name
            if used - source or ("msgid_plural" not in e and used != source):
                wrong.append((e["msgid"], index, sorted(source), sorted(used)))
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong[:20]}"


def test_compiled_catalogue_matches_the_po(catalogue):
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    stale = []
    for e in catalogue:
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            ok = all(compiled.get((key, i)) == s for i, s in e["msgstr"].items())
        else:
            ok = compiled.get(key) == e["msgstr"][0]
        if not ok:
            stale.append(e["msgid"])
    assert not stale, (
        f"django.mo is older than django.po for {len(stale)} entries; run "
        f"`.venv/bin/weibao compilemessages --ignore '.venv/*'`: {stale[:10]}"
    )


CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/"])
def test_a_user_who_picks_english_sees_no_chinese(client, settings, path):
    """The sign-in page and the home page of a service desk agent, in English."""
    from weibao.accounts.choices import Role
    from weibao.testing.factories import UserFactory

    user = UserFactory(full_name="Ann Agent", provider__name="Acme Maintenance",
                       roles=[Role.SUPPORT_AGENT])  # fmt: skip
    if path != "/accounts/login/":
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(path)
    assert response.status_code == 200
    page = re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
    for _code, name in settings.LANGUAGES:  # the language switch names each in itself
        page = page.replace(name, "")
    assert not CJK.findall(page), f"Chinese left on the English {path}: {CJK.findall(page)}"


@pytest.mark.django_db
def test_the_working_day_calendar_names_the_weekdays_in_english(client, settings):
    from weibao.testing.factories import UserFactory

    client.force_login(UserFactory(full_name="Ann Agent", provider__name="Acme Maintenance"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/calendar/?month=2026-11").content.decode()
    heads = re.findall(r'<th scope="col">([^<]*)</th>', page)
    assert heads == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_a_bad_holiday_schedule_is_explained_in_the_users_language():
    from django.utils import translation

    from weibao.calendars.errors import CalendarImportInvalid
    from weibao.calendars.schedule import parse_schedule

    text = "2027-02-30,holiday,春节\n2027-03-01,workday"
    for language, expected in [
        ("en", "Line 1: The date “2027-02-30” does not exist; Line 2: 2027-03-01 is a weekday"),
        ("zh-hans", "第 1 行：日期“2027-02-30”不存在；第 2 行：2027-03-01 是周一至周五"),
    ]:
        with translation.override(language), pytest.raises(CalendarImportInvalid) as refused:
            parse_schedule(2027, text)
        assert refused.value.message.startswith(expected)
