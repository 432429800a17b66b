"""A render worker lays out each document with Python's garbage collector paused, and leaves it as it was."""

import gc
from datetime import date

import pytest

from orchestration import documents


def test_the_collector_is_back_on_after_a_document_even_one_that_failed():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), documents.collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("the render failed")
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off():
    gc.disable()
    try:
        with documents.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("pack", ["management", "regulatory"])
def test_each_pack_is_built_and_laid_out_with_the_collector_paused(pack, env, monkeypatch):
    during = []

    def build(settings, month):
        during.append(("read", gc.isenabled()))

    def render(data, output_dir, locale):
        during.append(("render", gc.isenabled()))
        return {}

    monkeypatch.setattr(documents, "pack_input", build)
    monkeypatch.setattr(documents, "regulatory_input", build)
    monkeypatch.setattr(documents, f"render_{pack}_pack", render)
    documents.render_document(pack, date(2026, 10, 1), "en")
    assert during == [("read", False), ("render", False)]
    assert gc.isenabled()
