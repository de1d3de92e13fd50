"""A notification's words in the language of whoever reads them.

Callers give `subject` and `body` as `event_text(msgid, **params)` (the idea of the change
log's event sentences, `weibao.core.events`): the outbox renders them once per language when
it writes the rows (`Outbox.add`, the one place messages are worded), each row in its
recipient's language (`User.language`); rows to somebody who is not a user — a robot, a
webhook, a gateway test — in the provider's default language (settings `LANGUAGE_CODE`).
A plain `str` was worded by the caller and is sent as given. Rows once written keep their
text: changing a language changes the messages written after."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from weibao.accounts.selectors import language_of
from weibao.core.events import EventText

SUBJECT_MAX = 200

Text = str | EventText | Promise  # a `gettext_lazy` string is worded like an `EventText`


class Wording:
    """The subject and body of one notification, rendered at most once per language."""

    def __init__(self, subject: Text, body: Text) -> None:
        self.subject = subject
        self.body = body
        self._worded: dict[str, dict[str, str]] = {}

    def for_user(self, user) -> dict[str, str]:
        """`{"subject", "body"}` in the language of `user` (None: the default language)."""
        return self.in_language(language_of(user) if user is not None else None)

    def in_language(self, language: str | None) -> dict[str, str]:
        """`{"subject", "body"}` in `language` (None: the default language)."""
        if isinstance(self.subject, str) and isinstance(self.body, str):
            return self._words()  # worded by the caller already: the same for everyone
        language = language or settings.LANGUAGE_CODE
        if language not in self._worded:
            with translation.override(language):
                self._worded[language] = self._words()
        return self._worded[language]

    def _words(self) -> dict[str, str]:
        return {"subject": str(self.subject)[:SUBJECT_MAX], "body": str(self.body)}
