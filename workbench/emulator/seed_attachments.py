"""The demo's attachments, made in code (no binary files in the repository).

- ``checkout-errors.png`` on the checkout postmortem (the page shows it as an image): a small bar chart
  of the error rate, in two versions (the second with the rollback marked);
- ``outage-timeline-draft.png`` on the same page, referenced nowhere (the attachments pane flags it);
- ``cert-inventory.xlsx`` on the TLS runbook (the page links to it): a one-sheet workbook.

PNGs are written with zlib (RGB, no interlace: the PNG spec's simplest form); the workbook is the
minimal SpreadsheetML package (content types, relationships, workbook, one sheet of inline strings).
Seeding takes their bytes from :mod:`~workbench.emulator.seed_attachment_files`, where they are kept
(drawing them at every start cost the demo's first launch ~8 ms); a test proves they are these
drawings.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from typing import Any

from workbench.emulator import seed_attachment_files as files

Pixel = tuple[int, int, int]


def png(width: int, height: int, paint: Callable[[int, int], Pixel]) -> bytes:
    """An RGB PNG whose pixel (x, y) is ``paint(x, y)``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(paint(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


# error rate per 5 minutes, 13:00–14:00 UTC on the outage day (percent)
_ERRORS = [0.2, 0.3, 6.0, 18.0, 24.0, 27.0, 26.0, 25.0, 21.0, 9.0, 1.0, 0.3]


def error_chart(*, rollback: bool = False) -> bytes:
    width, height, bar = 96, 48, 8
    top = max(_ERRORS)

    def paint(x: int, y: int) -> Pixel:
        if y == height - 1 or x == 0:
            return (90, 90, 90)  # axes
        index = x // bar
        if rollback and index == 9 and x % bar == 0:
            return (30, 120, 200)  # the rollback line
        value = _ERRORS[index] if index < len(_ERRORS) else 0.0
        filled = round(value / top * (height - 4))
        if x % bar in (0, bar - 1) or height - 1 - y > filled:
            return (250, 250, 250)
        return (205, 60, 50) if value > 5 else (90, 170, 90)

    return png(width, height, paint)


def timeline_sketch() -> bytes:
    def paint(x: int, y: int) -> Pixel:
        if 14 <= y <= 17:
            return (60, 60, 60)
        if y in range(8, 24) and x % 16 == 4:
            return (200, 120, 30)
        return (255, 255, 255)

    return png(64, 32, paint)


CERT_INVENTORY = [
    ["Host", "Issuer", "Renewal", "Owner"],
    ["api.example.com", "ACME (internal)", "automatic", "Marcus"],
    ["hooks.example.com", "-", "automatic", "Hana"],
    ["legacy.example.com", "Manual CA", "manual, every 12 months", "Marcus"],
]


def workbook(rows: list[list[str]]) -> bytes:
    """A minimal .xlsx (Office Open XML spreadsheet) holding ``rows`` as inline strings."""
    # lazy, for start-up: io, zipfile and the XML escaper load on first use
    import io
    import zipfile
    from xml.sax.saxutils import escape

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{r + 1}">'
        + "".join(cell(f"{chr(65 + c)}{r + 1}", text) for c, text in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows)
    )
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Certificates" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}/spreadsheetml/2006/main">'
            f"<sheetData>{sheet_rows}</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (page title, file name, media type, bytes (kept: their drawing is in DRAWINGS), comment, author
# alias, days ago)
ATTACHMENTS: list[tuple[str, str, str, bytes, str, str, float]] = [
    (
        "Incident postmortem: 2026-09-14 checkout outage",
        "checkout-errors.png",
        "image/png",
        files.CHECKOUT_ERRORS_PNG,
        "Error rate, 13:00–14:00 UTC",
        "marcus",
        80,
    ),
    (
        "Incident postmortem: 2026-09-14 checkout outage",
        "outage-timeline-draft.png",
        "image/png",
        files.OUTAGE_TIMELINE_PNG,
        "first sketch of the timeline",
        "grace",
        79,
    ),
    (
        "Runbook: Rotating TLS certificates",
        "cert-inventory.xlsx",
        XLSX,
        files.CERT_INVENTORY_XLSX,
        "",
        "hana",
        120,
    ),
]
# later versions: (page title, file name, bytes, comment, author alias, days ago)
NEW_VERSIONS: list[tuple[str, str, bytes, str, str, float]] = [
    (
        "Incident postmortem: 2026-09-14 checkout outage",
        "checkout-errors.png",
        files.CHECKOUT_ERRORS_ROLLBACK_PNG,
        "rollback marked",
        "grace",
        78,
    ),
]


#: each kept file of seed_attachment_files (by its name there) and the drawing it was made by
DRAWINGS: dict[str, Callable[[], bytes]] = {
    "CHECKOUT_ERRORS_PNG": error_chart,
    "CHECKOUT_ERRORS_ROLLBACK_PNG": lambda: error_chart(rollback=True),
    "OUTAGE_TIMELINE_PNG": timeline_sketch,
    "CERT_INVENTORY_XLSX": lambda: workbook(CERT_INVENTORY),
}


def attach_demo(store: Any, aliases: dict[str, str], ago: Callable[[float], str]) -> None:
    """Attach the demo's files to the demo's pages (found by title)."""
    for title, name, media_type, data, comment, author, days in ATTACHMENTS:
        page_id = store.scalar("SELECT id FROM pages WHERE title = ? AND type = 'page'", (title,))
        if page_id is None:
            continue
        store.add_attachment(
            page_id,
            name,
            store.save_bytes(data),
            media_type=media_type,
            comment=comment,
            author=aliases[author],
            when=ago(days),
        )
    for title, name, data, comment, author, days in NEW_VERSIONS:
        page_id = store.scalar("SELECT id FROM pages WHERE title = ? AND type = 'page'", (title,))
        if page_id is None:
            continue
        (row,) = store.list_attachments(page_id, filename=name, limit=1)
        store.add_attachment_version(
            row["id"],
            store.save_bytes(data),
            media_type=row["media_type"],
            comment=comment,
            author=aliases[author],
            when=ago(days),
        )
