"""A document kind for the documents app's own tests, registered only while one runs
(`kinds.registered` in a fixture): no other test, nor a page listing the kinds, sees it."""

from weibao.documents import kinds

TEST_KIND = kinds.define(
    "test_service_note",
    label="现场技术服务记录",
    template="documents/pdf_document.html",
    signer_roles=("responsible", "maintenance", "leader"),
    fields=[
        ("phenomenon", "故障现象", True),
        ("actions", "处理过程", True),
        ("advice", "预防建议", False),
        ("result", "处理结果", False, {"choices": [("fixed", "已修复"), ("pending", "待观察")]}),
    ],
)
