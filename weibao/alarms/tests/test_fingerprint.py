"""Fingerprints equal Alertmanager's: prometheus/common model/signature_test.go vectors."""

import pytest

from weibao.alarms.fingerprint import fingerprint, signature


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({}, 14695981039346656037),
        ({"name": "garland, briggs", "fear": "love is not enough"}, 5799056148416392346),
        ({"first-label": "first-label-value"}, 5146282821936882169),
        (
            {"first-label": "first-label-value", "second-label": "second-label-value"},
            3195800080984914717,
        ),
        (
            {
                "first-label": "first-label-value",
                "second-label": "second-label-value",
                "third-label": "third-label-value",
            },
            13843036195897128121,
        ),
    ],
)
def test_signature_matches_prometheus_vectors(labels, expected):
    assert signature(labels) == expected


def test_fingerprint_is_sixteen_hex_digits_and_ignores_label_order():
    forward = fingerprint({"alertname": "FsuOffline", "site": "EO-01"})
    backward = fingerprint(
        dict(reversed(list({"alertname": "FsuOffline", "site": "EO-01"}.items())))
    )
    assert forward == backward
    assert len(forward) == 16
    assert fingerprint({}) == "cbf29ce484222325"
    assert fingerprint({"first-label": "first-label-value"}) == f"{5146282821936882169:016x}"


def test_fingerprint_differs_when_a_value_moves_between_labels():
    # The separator byte keeps {"a": "bc"} and {"ab": "c"} apart.
    assert fingerprint({"a": "bc"}) != fingerprint({"ab": "c"})
