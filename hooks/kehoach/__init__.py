"""Pure core of the plan site: load, validate, graph and page decisions.

Nothing in this package imports MkDocs, so the site can move to another
static-site generator by rewriting only the thin adapter in ``hooks/``.
"""
