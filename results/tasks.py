"""Background rendering of the announcement and certificate PDFs (django-tasks)."""

from django_tasks import task


@task()
def render_result_pdf(kind: str, pk: int) -> None:
    from results.documents import render_and_store

    render_and_store(kind, pk)
