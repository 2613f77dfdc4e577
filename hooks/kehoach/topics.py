"""Browse by topic: a page per topic listing its plans, and the list of topics.

Topics are the words the plans' ``topics`` give; two spellings with the same slug
("xây dựng Đảng", "Xây dựng Đảng") are one topic, named by its most frequent spelling.
A topic page lists at most ``CHILDREN_PER_PAGE`` plans and links to the next part,
as the lists of implementing documents do, so it stays bounded at any scale.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .graph import Graph
from .model import Plan
from .pages import TOPICS_URL, Page, paged, topic_slug


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    count: int


@dataclass(frozen=True, kw_only=True)
class TopicPage(Page):
    topic: Topic
    plans: tuple[Plan, ...] = ()
    number: int = 1  # this list page's number, from 1
    pages: int = 1


@dataclass(frozen=True)
class TopicsPage(Page):
    topics: tuple[Topic, ...] = ()


def site_topics(graph: Graph) -> tuple[tuple[Topic, ...], dict[str, list[Plan]]]:
    """Every topic (most plans first) and its plans, newest first."""
    spellings: dict[str, Counter[str]] = {}
    plans: dict[str, list[Plan]] = {}
    for plan in graph.plans.values():
        for name in dict.fromkeys(plan.topics):
            slug = topic_slug(name)
            spellings.setdefault(slug, Counter())[name] += 1
            if not plans.get(slug) or plans[slug][-1] is not plan:
                plans.setdefault(slug, []).append(plan)
    topics = [Topic(names.most_common(1)[0][0], slug, len(plans[slug])) for slug, names in spellings.items()]
    topics.sort(key=lambda t: (-t.count, t.slug))
    for listed in plans.values():
        listed.sort(key=lambda p: (p.date is not None, p.date), reverse=True)
    return tuple(topics), plans


def topic_pages(graph: Graph) -> list[Page]:
    topics, plans = site_topics(graph)
    pages: list[Page] = [
        TopicsPage(
            src_uri=f"{TOPICS_URL}index.md",
            title="Chủ đề",
            template="topics.html",
            description="Các chủ đề của văn bản, mỗi chủ đề dẫn tới danh sách văn bản.",
            topics=topics,
        )
    ]
    for topic in topics:
        parts = paged(plans[topic.slug])
        count = len(parts)
        for number, part in parts:
            pages.append(
                TopicPage(
                    src_uri=f"{TOPICS_URL}{topic.slug}{'' if number == 1 else f'/{number}'}/index.md",
                    title=f"Chủ đề: {topic.name}" + (f" (trang {number})" if number > 1 else ""),
                    template="topic.html",
                    description=f"{topic.count} văn bản có chủ đề {topic.name}.",
                    topic=topic,
                    plans=part,
                    number=number,
                    pages=count,
                )
            )
    return pages
