"""Job kinds registered for the tests only."""

import pytest

from jobs.registry import JobFailed, register

handler_calls: list[int] = []


@register("test_ok", label="Test job")
def _ok(ctx):
    handler_calls.append(ctx.job.pk)
    ctx.progress(1, 2)
    ctx.progress(2, 2)
    if ctx.job.params.get("output"):
        ctx.save_output("结果.txt", "完成".encode())
    return {"message": "done", "n": ctx.job.params.get("n", 0)}


@register("test_fail", label="Failing test job")
def _fail(ctx):
    raise JobFailed("bad file", [{"row": 3, "column": "统一社会信用代码", "message": "校验位错误"}])


@register("test_crash", label="Crashing test job")
def _crash(ctx):
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reset_calls():
    handler_calls.clear()
