"""The Alertmanager fingerprint of a label set (Prometheus `model.LabelSet.Fingerprint()`):
FNV-1a-64 over the label names in byte order, each name and each value followed by the
separator byte 0xff; written as 16 hex digits like Alertmanager's API. Equal fingerprints
mean that Weibao and Alertmanager see the same alert."""

from __future__ import annotations

from collections.abc import Mapping

FNV_OFFSET_64 = 14695981039346656037
FNV_PRIME_64 = 1099511628211
SEPARATOR = 0xFF
_MASK = (1 << 64) - 1


def signature(labels: Mapping[str, str]) -> int:
    """The 64-bit fingerprint (an empty label set gives the FNV offset basis)."""
    value = FNV_OFFSET_64
    for name in sorted(labels):  # code-point order is UTF-8 byte order
        for part in (name, str(labels[name])):
            for byte in part.encode("utf-8"):
                value = ((value ^ byte) * FNV_PRIME_64) & _MASK
            value = ((value ^ SEPARATOR) * FNV_PRIME_64) & _MASK
    return value


def fingerprint(labels: Mapping[str, str]) -> str:
    """The fingerprint as Alertmanager prints it (`%016x`)."""
    return f"{signature(labels):016x}"
