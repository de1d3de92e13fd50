"""`makemessages` that also collects the sentences of events: `event_text("…", …)` marks its
first argument for translation (it is translated when the event is read, see
`weibao.core.events`)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=event_text"]
