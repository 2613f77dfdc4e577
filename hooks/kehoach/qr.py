"""QR codes for printed plans, made at build time (no external service)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """An inline SVG QR code (error correction M) that encodes ``url``."""
    # A fixed mask: still a valid code, and 4× faster than trying all eight (6.9 → 1.8 ms).
    code = segno.make(url, error="m", mask=0)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=1,
        border=2,
        xmldecl=False,
        svgns=True,
        omitsize=True,
        title="Mã QR dẫn tới trang này",
        svgclass="kh-qr__svg",
        nl=False,
    )
    return out.getvalue().decode("utf-8")
