"""D16: the folders Workbench writes to are 0700 (drafts, locks, caches and the config name sites
and pages); files stay 0600. Existing default folders made 0755 by earlier versions are tightened;
a folder the person named with WORKBENCH_*_DIR is left as it is (only the folders made inside it
are private)."""

from __future__ import annotations

import os
import stat

import pytest

from workbench.agent.audit import AuditLog
from workbench.auth import store
from workbench.config import (
    Settings,
    cache_dir,
    config_dir,
    data_dir,
    private_dir,
    save_settings,
)
from workbench.services.cache import TreeCache
from workbench.services.drafts import DraftStore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_workbench_creates_is_private():
    save_settings(Settings(default_profile=""))
    DraftStore(data_dir() / "drafts", "site").save("65537", 3, "Title", "text")
    cache = TreeCache(cache_dir(), "site")
    cache.put_spaces([])
    cache.save()
    AuditLog().record("test", tool="get_page")
    store.save_token("p", "a-secret-value")  # the keyring lock
    for folder in (
        config_dir(),
        data_dir(),
        data_dir() / "drafts",
        data_dir() / "locks",
        cache_dir(),
    ):
        assert _mode(folder) == 0o700, folder
    for file in [
        *(data_dir() / "drafts").iterdir(),
        *(data_dir() / "locks").iterdir(),
        data_dir() / "audit.jsonl",
        *config_dir().iterdir(),
        *cache_dir().iterdir(),
    ]:
        assert _mode(file) == 0o600, file


def test_old_wide_default_folders_are_tightened():
    (data_dir() / "drafts").mkdir(parents=True, mode=0o755)
    os.chmod(data_dir(), 0o755)
    os.chmod(data_dir() / "drafts", 0o755)
    DraftStore(data_dir() / "drafts", "site").save("65537", 3, "Title", "text")
    assert _mode(data_dir() / "drafts") == 0o700
    private_dir(data_dir())
    assert _mode(data_dir()) == 0o700


def test_a_folder_named_by_the_person_is_left_alone(tmp_path, monkeypatch):
    shared = tmp_path / "team-data"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(shared))
    DraftStore(data_dir() / "drafts", "site").save("65537", 3, "Title", "text")
    assert _mode(shared) == 0o755
    assert _mode(shared / "drafts") == 0o700


def test_missing_parents_are_created_private(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    private_dir(deep)
    assert [_mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", deep)] == [0o700] * 3
