"""MkDocs hook (mkdocs.yml `hooks:`): the "last updated" dates read from git while the
pages render, not before.

git-revision-date-localized asks git for each page's last commit (one `git log` per
page). With `enable_parallel_processing` it does all of them in on_files, in a process
pool, and the build waits there: about 4 of an 18-second build (issue 17). This hook
starts the same calls, the plugin's own `Util.get_git_commit_timestamp` with the same
arguments, in a background process when the files are known, and the plugin (parallel
processing off in mkdocs.yml) takes each page's answer when it renders that page. git
runs on the other core while Python renders Markdown; the dates are the ones the plugin
computes itself.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

PLUGIN = "git-revision-date-localized"
WORKERS = 1  # git on the second core while Python renders on the first (two were slower)

_state: dict = {}


def _plugin(config):
    plugin = config.plugins.get(PLUGIN)
    if plugin is None or not plugin.config.get("enabled") or plugin.config.get("enable_parallel_processing"):
        return None
    return plugin


def _stop() -> None:
    pool = _state.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def on_files(files, config, **kwargs):
    _stop()
    plugin = _plugin(config)
    if plugin is None:
        return files
    from mkdocs_git_revision_date_localized_plugin.exclude import exclude

    util = plugin.util  # made afresh by the plugin's on_config for every build
    futures: dict[tuple[str, bool], Future] = {}
    # Processes, as the plugin's own pool: threads wait for the interpreter lock while the
    # main thread renders, and gained almost nothing when measured.
    pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("fork"))
    first_too = bool(plugin.config.get("enable_creation_date"))
    for f in files.documentation_pages():
        if getattr(f, "generated_by", None) or f.abs_src_path is None:
            continue
        if exclude(f.src_path, plugin.config.get("exclude", [])):
            continue
        key = str(Path(f.abs_src_path).absolute())
        for first in ((False, True) if first_too else (False,)):
            futures[(key, first)] = pool.submit(util.get_git_commit_timestamp,
                                                path=f.abs_src_path, is_first_commit=first)
    _state["pool"] = pool
    plugin.util = _Prefetched(util, futures)
    return files


class _Prefetched:
    """The plugin's Util, except that a page's commit comes from the call started in
    on_files (the same function, the same arguments) when there is one."""

    def __init__(self, util, futures: dict) -> None:
        self.util, self.futures = util, futures

    def __getattr__(self, name: str):
        return getattr(self.util, name)

    def get_git_commit_timestamp(self, path: str, is_first_commit: bool = False):
        future = self.futures.pop((str(Path(path).absolute()), is_first_commit), None)
        if future is not None:
            return future.result()
        return self.util.get_git_commit_timestamp(path=path, is_first_commit=is_first_commit)


def on_post_build(config, **kwargs):
    _stop()


def on_build_error(error, **kwargs):
    _stop()
