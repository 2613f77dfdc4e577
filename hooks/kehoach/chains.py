"""The shape of the citation and unit chains: cycles and depth, in linear time without recursion.

A hostile folder can hold a chain of thousands of plans or units (a 1 MB ``units.yml`` holds about
21,000). Walking the chain again from every node was quadratic (minutes), and pages that follow a
chain recursively (the lineage, the units tree) would overflow Python's stack. So ``check`` finds
the nodes on cycles with Tarjan's algorithm (iterative) and refuses chains deeper than the site
shows; everything after validation may then follow a chain freely.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

MAX_PLAN_DEPTH = 20  # documents from the top one down (today: 71-NQ/TW → city → ward → school → cell)
MAX_UNIT_DEPTH = 10  # units from Trung ương down (today: 5 levels)


def nodes_on_cycles(edges: Mapping[str, Sequence[str]]) -> set[str]:
    """Nodes that can reach themselves: members of a strongly connected component with a cycle."""
    found: set[str] = set()
    for component in _components(edges):
        if len(component) > 1 or component[0] in edges.get(component[0], ()):
            found.update(component)
    return found


def _components(edges: Mapping[str, Sequence[str]]) -> Iterator[list[str]]:
    """Tarjan's strongly connected components, with an explicit stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c in edges), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                yield _pop_component(node, stack, on_stack)


def _pop_component(node: str, stack: list[str], on_stack: set[str]) -> list[str]:
    component = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member == node:
            return component


def depths(edges: Mapping[str, Sequence[str]], skip: set[str]) -> dict[str, int]:
    """Length of the longest chain from each node up (1 for a node without parents).

    ``skip`` holds the nodes on cycles (no finite depth); edges to unknown nodes are ignored.
    """
    depth: dict[str, int] = {}
    for root in edges:
        if root in depth or root in skip:
            continue
        work = [root]
        while work:
            node = work[-1]
            waiting = [p for p in edges.get(node, ()) if p in edges and p not in skip and p not in depth]
            if waiting:
                work.extend(waiting)
                continue
            work.pop()
            parents = [depth[p] for p in edges.get(node, ()) if p in depth]
            depth[node] = 1 + max(parents, default=0)
    return depth
