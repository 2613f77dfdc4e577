"""The full-text index and topic pages: pure core, no MkDocs, no browser."""

from __future__ import annotations

import json

from conftest import ROOT
from kehoach.fulltext import HOLDERS, FullTextIndex, body_passages, fnv1a, record_passages, words
from kehoach.pages import CHILDREN_PER_PAGE
from kehoach.search import plan_meta
from kehoach.site import check
from kehoach.topics import TopicPage, site_topics, topic_pages

BODY = (
    "<p>Thực hiện Nghị quyết 71. Đẩy mạnh &amp; nâng cao chất lượng.</p>"
    '<h3 id="tv-i-muc-dich">I. <em>MỤC ĐÍCH</em></h3>'
    "<ul><li>Xây dựng “Ngân hàng ý tưởng sáng tạo” của trường.</li></ul>"
    "<table><tr><td>Chi uỷ viên</td><td>Chỉ đạo.<br>Thường xuyên</td></tr></table>"
)


def test_body_passages_are_sentences_with_the_rendered_heading_ids():
    found = body_passages(BODY)
    assert found[0] == ("Thực hiện Nghị quyết 71.", "toan-van", "")
    assert found[1] == ("Đẩy mạnh & nâng cao chất lượng.", "toan-van", "")
    assert ("I. MỤC ĐÍCH", "tv-i-muc-dich", "I. MỤC ĐÍCH") in found
    assert ("Xây dựng “Ngân hàng ý tưởng sáng tạo” của trường.", "tv-i-muc-dich", "I. MỤC ĐÍCH") in found
    assert ("Thường xuyên", "tv-i-muc-dich", "I. MỤC ĐÍCH") in found  # table cells, <br> lines


def test_words_fold_marks_and_d():
    assert words("Ngân hàng Ý tưởng, Đống Đa") == ["ngan", "hang", "y", "tuong", "dong", "da"]


def test_index_keeps_each_sentence_once_with_a_few_holders(tmp_path):
    index = FullTextIndex()
    for n in range(HOLDERS + 3):
        passages = [("Một câu chung của mọi kế hoạch.", "tv-a", "A"), (f"Câu riêng {n}.", "tv-b", "B")]
        index.add({"url": f"van-ban/p{n}/"}, passages)
    index.write(tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    first = json.loads((tmp_path / "t" / "0.json").read_text())
    assert first[0] == ["Một câu chung của mọi kế hoạch.", HOLDERS + 3, [[n, "tv-a", "A"] for n in range(HOLDERS)]]
    table = json.loads((tmp_path / "b" / f"{fnv1a('cau chung') % meta['shards']}.json").read_text())
    assert table["cau chung"] == [0]  # delta-encoded passage ids
    plans = json.loads((tmp_path / "p" / "0.json").read_text())
    assert plans[3] == {"url": "van-ban/p3/"}


def test_fnv1a_is_the_32_bit_hash():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C


def test_record_passages_link_targets_and_duties_to_their_sections():
    graph, _ = check(ROOT / "plans", ROOT)
    plan = graph.plans["kh-cb-mn-do-thi-viet-hung-2025-10-30"]
    found = record_passages(plan)
    assert found[0] == (plan.title, "kh-title", "")
    assert any(anchor == "chi-tieu-2027" for _, anchor, _ in found)
    assert any(anchor == "phan-cong" and "Ngân hàng ý tưởng sáng tạo" in text for text, anchor, _ in found)
    meta = plan_meta(graph, plan)
    assert (meta["so"], meta["du_thao"], meta["ngay"]) == ("chưa có số", "1", "30/10/2025")


def test_topics_merge_spellings_and_stay_bounded():
    graph, _ = check(ROOT / "plans", ROOT)
    topics, plans = site_topics(graph)
    by_slug = {t.slug: t for t in topics}
    assert by_slug["chuyen-doi-so"].count == 6
    assert by_slug["an-toan-truong-hoc"].count == 2  # the words both plans use: "an toàn trường học"
    pages = topic_pages(graph)
    assert pages[0].src_uri == "chu-de/index.md"
    assert all(len(p.plans) <= CHILDREN_PER_PAGE for p in pages if isinstance(p, TopicPage))
