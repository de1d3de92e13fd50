"""Signals of the working-day calendar.

`year_imported(sender=CalendarYear, year=int, actor=user|None, source=str)` is sent when a
year's schedule becomes known (imported from a notice or file, or seeded from the package),
inside the writing transaction, after its days are written and the index refreshed: a receiver
may recompute provisional dates at once (see `weibao.calendars.provisional`).
"""

from django.dispatch import Signal

year_imported = Signal()
