"""Rendering the case's PDFs (placeholder until the documents module lands)."""


def render_document(application, kind: str) -> bytes:
    raise NotImplementedError(kind)
