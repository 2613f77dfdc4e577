"""MkDocs hook injected by ``tests/bench/bench.py`` only: times the stages of one ``mkdocs build``.

It must be listed *after* the site's own hook (so that the site's modules are
loaded when this one is imported). It wraps, by identity, the functions that
make up each stage and accumulates their exclusive wall time (a wrapped call
nested in another wrapped call is subtracted from its parent). When ``build()``
returns, it writes a JSON object to ``$KEHOACH_BENCH_OUT``:

- ``startup``: process start (``$KEHOACH_BENCH_T0``) to the start of ``build()``: imports, config, hooks;
- ``load_validate_graph``, ``git_history``, ``page_records``: the core's ``check``, ``file_history`` and
  ``decide_pages`` inside the site hook's ``on_config`` (absent in a plain build);
- ``config_other``: the rest of every plugin's and hook's ``on_config``;
- ``files_nav``: collecting files (incl. ``on_files``, which adds the generated pages) and the navigation;
- ``markdown``: reading and rendering every page's Markdown (``_populate_page``, incl. per-page hook events);
- ``templates``: rendering the Jinja templates of every page (``_build_page`` minus search and writing;
  ``pages_by_template`` gives pages and seconds per template, search and writing included);
- ``search``: Material's lunr indexing (``add_entry_from_context`` + ``generate_search_index``) and/or the
  time the build's thread spends on search (starting the indexing job, waiting for its files at the end;
  the indexing itself runs in a thread and Pagefind's process, beside the build);
- ``open_data``: making and writing the open-data files and feeds (``Build.publish``, in ``on_post_build``);
- ``write``: writing files (``mkdocs.utils.write_file``) and copying static files;
- ``post_build_other``, ``build_other``: what is left in ``on_post_build`` and in ``build()`` itself.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from functools import wraps

import mkdocs.plugins
import mkdocs.utils
from mkdocs.commands import build as mk_build
from mkdocs.structure.files import Files

T0 = float(os.environ.get("KEHOACH_BENCH_T0") or time.time())
OUT = os.environ.get("KEHOACH_BENCH_OUT")
_acc: dict[str, float] = {}
_calls: dict[str, int] = {}
_stack: list[float] = []  # time spent in wrapped children of each open wrapped call
_marks: dict[str, float] = {}


def _timed(stage: str, func):
    if getattr(func, "_bench_stage", None):
        return func

    @wraps(func)
    def wrapper(*args, **kwargs):
        _stack.append(0.0)
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            total = time.perf_counter() - start
            children = _stack.pop()
            _acc[stage] = _acc.get(stage, 0.0) + total - children
            _calls[stage] = _calls.get(stage, 0) + 1
            if _stack:
                _stack[-1] += total

    wrapper._bench_stage = stage
    return wrapper


def _patch_everywhere(module_name: str, attr: str, stage: str) -> None:
    """Replace ``module.attr`` in every loaded module that refers to that same object."""
    module = sys.modules.get(module_name)
    original = getattr(module, attr, None) if module else None
    if original is None:
        return
    wrapped = _timed(stage, original)
    for mod in list(sys.modules.values()):
        try:
            if getattr(mod, attr, None) is original:
                setattr(mod, attr, wrapped)
        except Exception:  # pragma: no cover - exotic modules
            continue


def _patch_method(cls, attr: str, stage: str) -> None:
    original = getattr(cls, attr, None)
    if original is not None:
        setattr(cls, attr, _timed(stage, original))


# -- the core, through whatever module imported it (the site hook is already loaded) ---------
_patch_everywhere("kehoach.site", "check", "load_validate_graph")
_patch_everywhere("kehoach.site", "file_history", "git_history")
_patch_everywhere("kehoach.site", "decide_pages", "page_records")
if "kehoach.indexer" in sys.modules:  # the build's own time on search: starting the job, waiting for its files
    for _name in ("__init__", "start", "wait"):
        _patch_method(sys.modules["kehoach.indexer"].IndexingJob, _name, "search")
if "kehoach.build" in sys.modules:  # the open-data files and feeds, written in on_post_build (kehoach/publish.py)
    _patch_method(sys.modules["kehoach.build"].Build, "publish", "open_data")

# -- MkDocs' own stages ----------------------------------------------------------------------
mk_build.get_files = _timed("files_nav", mk_build.get_files)
mk_build.get_navigation = _timed("files_nav", mk_build.get_navigation)
mk_build._populate_page = _timed("markdown", mk_build._populate_page)
_build_page_timed = _timed("templates", mk_build._build_page)
_by_template: dict[str, list[float]] = {}  # template → [pages, seconds including search and writing]


def _build_page(page, *args, **kwargs):
    start = time.perf_counter()
    try:
        return _build_page_timed(page, *args, **kwargs)
    finally:
        entry = _by_template.setdefault(str(page.meta.get("template", "main.html")), [0, 0.0])
        entry[0] += 1
        entry[1] += time.perf_counter() - start


mk_build._build_page = _build_page
mk_build._build_theme_template = _timed("templates", mk_build._build_theme_template)
mkdocs.utils.write_file = _timed("write", mkdocs.utils.write_file)
_patch_method(Files, "copy_static_files", "write")

_EVENTS = {"config": "config_other", "files": "files_nav", "nav": "files_nav", "post_build": "post_build_other"}
_run_event = mkdocs.plugins.PluginCollection.run_event
_timed_events = {event: _timed(stage, _run_event) for event, stage in _EVENTS.items()}


def _run_event_timed(self, name, *args, **kwargs):
    return _timed_events.get(name, _run_event)(self, name, *args, **kwargs)


mkdocs.plugins.PluginCollection.run_event = _run_event_timed

for _module in ("material.plugins.search.plugin", "mkdocs.contrib.search.search_index"):
    try:
        _search = __import__(_module, fromlist=["SearchIndex"])
    except ImportError:
        continue
    _patch_method(_search.SearchIndex, "add_entry_from_context", "search")
    _patch_method(_search.SearchIndex, "generate_search_index", "search")


def _build(config, *args, **kwargs):
    _marks["build_start"] = time.time()
    try:
        return _build_untimed(config, *args, **kwargs)
    finally:
        _marks["build_end"] = time.time()
        _dump(config)


_build_untimed = _timed("build_other", mk_build.build)
mk_build.build = _build


def _dump(config) -> None:
    if not OUT:
        return
    stages = {"startup": _marks["build_start"] - T0, **_acc}
    result = {
        "stages": {k: round(v, 4) for k, v in stages.items()},
        "calls": _calls,
        "pages_by_template": {k: {"pages": n, "seconds": round(t, 3)} for k, (n, t) in sorted(_by_template.items())},
        "build_s": round(_marks["build_end"] - _marks["build_start"], 4),
        "process_to_end_s": round(_marks["build_end"] - T0, 4),
        "mkdocs_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "children_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
