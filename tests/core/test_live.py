"""LiveCatalog: a changed catalog file or a new overlay alias is picked up without a restart."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from shouwen_core.live import LiveCatalog
from tests.conftest import SAMPLE


@pytest.fixture
def catalog_copy(tmp_path):
    path = tmp_path / "catalog"
    shutil.copytree(SAMPLE, path)
    return path


def wait_for(live: LiveCatalog, predicate, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate(live.current()):
            return
        time.sleep(0.05)
    pytest.fail("the live catalog did not pick up the change")


def test_an_overlay_alias_links_after_the_version_changes(catalog_copy):
    state = {"version": 1, "aliases": {}}
    live = LiveCatalog(catalog_copy, overlay=lambda: (state["version"], state["aliases"]), check_every=0)
    target = live.snapshot.catalog.matters[0]
    assert live.snapshot.linker.link("紫色小本本").top is None or (
        live.snapshot.linker.link("紫色小本本").top.matter.id != target.id
    )
    state.update(version=2, aliases={target.id: ["紫色小本本"], "NO-SUCH-MATTER": ["whatever"]})
    wait_for(live, lambda snap: snap.overlay_version == 2)
    top = live.current().linker.link("紫色小本本").top
    assert top is not None and top.matter.id == target.id and top.score >= 0.5
    assert "紫色小本本" in live.current().catalog.matter(target.id).aliases


def test_a_changed_file_is_reloaded_and_a_broken_one_keeps_the_old(catalog_copy):
    live = LiveCatalog(catalog_copy, check_every=0)
    loaded = live.snapshot
    meta = catalog_copy / "catalog.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["version"] = "test-2"
    time.sleep(0.01)
    meta.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    wait_for(live, lambda snap: snap.catalog.version == "test-2")
    assert live.current() is not loaded

    next(catalog_copy.glob("matters/*.json")).write_text("[", encoding="utf-8")
    live.current()
    time.sleep(1.5)  # the failed rebuild runs in the background and must leave the old snapshot
    assert live.current().catalog.version == "test-2"
    assert live.current().linker.link("护照过期").top is not None


def test_an_unreachable_overlay_does_not_stop_answering(catalog_copy):
    def down():
        raise ConnectionError("database down")

    live = LiveCatalog(catalog_copy, overlay=down, check_every=0)
    assert live.current().linker.link("社保卡丢了").top is not None
    assert not live.stale()
