"""The registry of document kinds: a test's own kind is there only while the test runs."""

from weibao.documents import kinds
from weibao.documents.tests.kinds import TEST_KIND


def test_a_kind_registered_for_a_block_is_gone_after_it():
    assert kinds.get(TEST_KIND.code) == TEST_KIND  # this package's fixture registered it
    other = kinds.define("test_other_note", label="Other note",
                         template="documents/pdf_document.html")  # fmt: skip
    with kinds.registered(other):
        assert kinds.get("test_other_note") == other
    assert "test_other_note" not in dict(kinds.choices())
    assert TEST_KIND.code in dict(kinds.choices())
