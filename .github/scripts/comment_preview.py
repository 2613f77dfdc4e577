"""Screenshot of the checklist comment the import workflow posts, for the editors' guide.

    PYTHONPATH=hooks .venv/bin/python .github/scripts/comment_preview.py [OUT.png]

Imports the seed document 09-KH/CB (tests/fixtures/import/) exactly as ``.github/workflows/nhap.yml`` does
(``kehoach.prflow``: a copy of plans/ without that plan, the source in nhap/), renders the comment's
Markdown to HTML (Python-Markdown, with every ASCII punctuation escapable as in CommonMark and GitHub) and
photographs it in Debian's Chromium. It is our tool's real output in a plain page, not a picture of GitHub;
the only change is ✅/❌ drawn as coloured ✔/✘, since this machine has no emoji font.
Default OUT: docs/huong-dan/img/nhap-binh-luan.png.
"""

from __future__ import annotations

import shutil
import string
import sys
import tempfile
from pathlib import Path

import markdown
from playwright.sync_api import sync_playwright

from kehoach.prflow.comment import render
from kehoach.prflow.nhap import import_all

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "import" / "09-kh-cb-mn-tran-quoc-toan.txt"
PLAN = "09-kh-cb-mn-tran-quoc-toan.md"
OUT = ROOT / "docs" / "huong-dan" / "img" / "nhap-binh-luan.png"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STYLE = """
body { font: 14px/1.5 system-ui, "Noto Sans", "DejaVu Sans", sans-serif; color: #1f2328; margin: 0; }
.box { border: 1px solid #d1d9e0; border-radius: 6px; margin: 12px; max-width: 760px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; font-weight: 600; }
.body { padding: 4px 16px; } h3 { font-size: 18px; } h4 { font-size: 15px; margin: 18px 0 6px; }
code, pre { font: 12px/1.45 "DejaVu Sans Mono", monospace; background: #eff1f3; border-radius: 4px; }
code { padding: 1px 4px; } pre { padding: 8px 12px; overflow: hidden; } pre code { padding: 0; }
ul { padding-left: 22px; } li.task { list-style: none; margin-left: -20px; }
"""


def comment_markdown() -> str:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "plans", root / "plans")
        (root / "plans" / PLAN).unlink()
        (root / "nhap").mkdir()
        shutil.copyfile(SEED, root / "nhap" / "ke-hoach-chi-bo.txt")
        (root / "nhap" / "anh-chup.pdf").write_bytes(b"%PDF-1.4\n")  # to show a refusal too
        return render(import_all(root))


def comment_html(text: str) -> str:
    md = markdown.Markdown(extensions=["fenced_code"])
    md.ESCAPED_CHARS = list(string.punctuation)  # CommonMark: any ASCII punctuation can be escaped
    body = md.convert(text)
    body = body.replace("<li>[ ] ", '<li class="task">☐ ')
    body = body.replace("✅", '<b style="color:#1a7f37">✔</b>').replace("❌", '<b style="color:#cf222e">✘</b>')
    return (
        f'<!doctype html><html lang="vi"><meta charset="utf-8"><style>{STYLE}</style>'
        '<div class="box"><div class="head">github-actions (bot) — bình luận</div>'
        f'<div class="body">{body}</div></div></html>'
    )


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    html = comment_html(comment_markdown())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 800, "height": 600}, device_scale_factor=1)
        page.set_content(html)
        page.locator(".box").screenshot(path=str(out))
        browser.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
