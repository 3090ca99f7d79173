"""The Word template kinds of the reports app (documents.kinds registry): each kind has a
shipped default .docx (reports/docx/), its documented placeholders and a sample context.

`register_kinds()` is called from ReportsConfig.ready(); add a kind by appending it to KINDS.
"""

KINDS = []


def register_kinds():
    """Register every kind of KINDS with documents.kinds (once, at start-up)."""
    from documents import kinds as registry

    for kind in KINDS:
        registry.register(kind)
