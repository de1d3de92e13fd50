"""Whose is it: the one home of "which customer does this actor, site or asset belong to"."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Min, Value, When
from django.db.models.functions import Replace

from weibao.core.scoping import customer_id_of
from weibao.tenancy.models import Contact, Customer

__all__ = [
    "CALLER_MIN_DIGITS",
    "Caller",
    "caller_of_contact",
    "callers_by_phone",
    "customer_code_taken",
    "customer_id_of",
    "customer_of",
    "phone_digits",
]


def customer_of(*owners) -> Customer | None:
    """The customer of the first of `owners` that belongs to one — a customer, a site, an
    asset, a ticket, a customer's user … (None entries are skipped); None when none does."""
    for owner in owners:
        if isinstance(owner, Customer):
            return owner
        customer_id = customer_id_of(owner)
        if customer_id is not None:
            customer = getattr(owner, "customer", None)
            if isinstance(customer, Customer):
                return customer
            return Customer.objects.get(pk=customer_id)
    return None


def customer_code_taken(code: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another customer has `code`, whatever its case ("HDTX" is "hdtx")."""
    return Customer.objects.filter(code__iexact=code.strip()).exclude(pk=exclude_pk).exists()


# A caller is looked up from this many digits on: fewer match half the address book.
CALLER_MIN_DIGITS = 4
# What people put between the digits of a phone number ("+86 139-0000 0002", "(025) 8888.1234").
_PHONE_SEPARATORS = (" ", "-", "+", "(", ")", ".", "/", "\u3000", "\uff0d")


@dataclass(frozen=True)
class Caller:
    """A contact whose phone number ends with the digits typed, and the site their call is
    most likely about: the contact's default site, else their customer's only site (None
    when the customer has several and the contact has no default)."""

    contact: Contact
    customer: Customer
    site_id: int | None


def phone_digits(text: str) -> str:
    """The digits of a phone number as typed ("+86 139-0000-0002" → "13900000002"):
    full-width digits read as digits, separators dropped, China's country code removed."""
    digits = "".join(str(unicodedata.digit(ch)) for ch in text or "" if ch.isdigit())
    if digits.startswith("0086"):
        return digits[4:]
    if digits.startswith("86") and len(digits) == 13:
        return digits[2:]
    return digits


def callers_by_phone(user, phone: str, *, limit: int = 8) -> list[Caller]:
    """The contacts `user` may see whose phone number ends with the digits of `phone` (the
    whole number or its last digits, at least `CALLER_MIN_DIGITS`), whatever the spaces,
    dashes or "+86" either side; exact numbers first, then by customer and name. The one
    lookup of the intake form and of `GET /api/contacts/lookup/`."""
    digits = phone_digits(phone)
    if len(digits) < CALLER_MIN_DIGITS:
        return []
    stored = F("phone")
    for separator in _PHONE_SEPARATORS:
        stored = Replace(stored, Value(separator), Value(""))
    contacts = (
        Contact.objects.visible_to(user)
        .annotate(phone_digits=stored)
        .filter(phone_digits__endswith=digits)
        .annotate(
            exact=Case(
                When(phone_digits=digits, then=Value(0)),
                When(phone_digits=f"86{digits}", then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("exact", "customer__name", "name", "pk")
    )
    return _callers(contacts, limit=limit)


def caller_of_contact(user, contact_id) -> Caller | None:
    """The contact `contact_id` as a caller, if `user` may see them."""
    if not str(contact_id or "").isdigit():
        return None
    return next(iter(_callers(Contact.objects.visible_to(user).filter(pk=contact_id))), None)


def _callers(contacts, *, limit: int = 1) -> list[Caller]:
    contacts = contacts.select_related("customer").annotate(
        site_count=Count("customer__sites"), first_site=Min("customer__sites__id")
    )[:limit]
    return [
        Caller(
            contact=contact,
            customer=contact.customer,
            site_id=contact.default_site_id
            or (contact.first_site if contact.site_count == 1 else None),
        )
        for contact in contacts
    ]
