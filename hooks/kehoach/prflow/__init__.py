"""The pull request workflow's steps (``.github/workflows/nhap.yml``), runnable and tested locally.

An editor uploads a ``.docx`` or ``.txt`` to ``nhap/`` on a pull request; the workflow then runs
``python -m kehoach.prflow import`` (``nhap``: the importer on each source, the source removed once its
draft is written; ``comment``: the Vietnamese checklist for the pull request) and, only for a branch of
this repository, ``python -m kehoach.prflow commit`` (``gitops``: commit ``plans/`` and ``nhap/`` and push
them to the branch, the token given to git through the environment, never written to ``.git/config``).
``check --github`` (``kehoach.ghactions``) turns ``check`` problems into annotations.
"""
