"""The demo's attachments are kept as bytes (workbench.emulator.seed_attachment_files) so seeding
does not draw them at every start: each kept file must be what its drawing makes — the same PNG
header and pixels, the same workbook parts — and the demo must serve exactly those bytes."""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib

import pytest

from workbench.emulator import seed_attachment_files as files
from workbench.emulator.runner import open_store
from workbench.emulator.seed_attachments import ATTACHMENTS, DRAWINGS, NEW_VERSIONS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_image(data: bytes) -> tuple[bytes, bytes]:
    """``(IHDR, raw pixel rows)`` of a PNG; every chunk's CRC checked."""
    assert data.startswith(PNG_SIGNATURE), "not a PNG"
    at, header, idat, kinds = len(PNG_SIGNATURE), b"", b"", []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        kinds.append(kind)
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    return header, zlib.decompress(idat)


def workbook_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def kept_text(name: str, drawn: bytes) -> str:
    """What seed_attachment_files should say for ``name`` (shown when a drawing changed)."""
    encoded = base64.b64encode(drawn).decode()
    lines = [f'    "{encoded[i : i + 92]}"' for i in range(0, len(encoded), 92)]
    return "\n".join([f"{name} = base64.b64decode(", *lines, ")"])


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_each_kept_file_is_what_its_drawing_makes(name):
    kept, drawn = getattr(files, name), DRAWINGS[name]()
    hint = f"the drawing of {name} changed; put this in seed_attachment_files:\n{kept_text(name, drawn)}"
    if name.endswith("_PNG"):
        # compared as images: the header (size, depth, colour type) and every pixel; the deflate
        # stream itself may differ between zlib builds
        assert png_image(kept) == png_image(drawn), hint
    else:
        assert workbook_parts(kept) == workbook_parts(drawn), hint


def test_every_kept_file_has_its_drawing_and_the_seed_uses_them():
    kept = {n for n in vars(files) if n.isupper()}
    assert kept == set(DRAWINGS)
    used = [row[3] for row in ATTACHMENTS] + [row[2] for row in NEW_VERSIONS]
    assert sorted(used) == sorted(getattr(files, n) for n in DRAWINGS)


def test_the_demo_serves_the_kept_bytes_for_every_version():
    store = open_store("demo")
    try:
        served = {}
        for title, name, *_ in ATTACHMENTS:
            page_id = store.scalar(
                "SELECT id FROM pages WHERE title = ? AND type = 'page'", (title,)
            )
            (row,) = store.list_attachments(page_id, filename=name, limit=1)
            for version in range(1, row["version"] + 1):
                one = store.attachment(row["id"], version=version)
                served[(name, version)] = (
                    store.blob_path(one["sha256"]).read_bytes(),
                    one["size"],
                )
    finally:
        store.close()
    assert served == {
        ("checkout-errors.png", 1): (files.CHECKOUT_ERRORS_PNG, len(files.CHECKOUT_ERRORS_PNG)),
        ("checkout-errors.png", 2): (
            files.CHECKOUT_ERRORS_ROLLBACK_PNG,
            len(files.CHECKOUT_ERRORS_ROLLBACK_PNG),
        ),
        ("outage-timeline-draft.png", 1): (
            files.OUTAGE_TIMELINE_PNG,
            len(files.OUTAGE_TIMELINE_PNG),
        ),
        ("cert-inventory.xlsx", 1): (files.CERT_INVENTORY_XLSX, len(files.CERT_INVENTORY_XLSX)),
    }
    header, _ = png_image(files.CHECKOUT_ERRORS_PNG)
    assert struct.unpack(">II", header[:8]) == (96, 48)  # the chart's size, as drawn


def test_a_changed_picture_is_caught():
    drawn = DRAWINGS["CHECKOUT_ERRORS_PNG"]()
    header, pixels = png_image(drawn)
    changed = bytearray(pixels)
    changed[1] ^= 0xFF  # one colour of the first pixel
    assert png_image(drawn) != (header, bytes(changed))
    assert DRAWINGS["CHECKOUT_ERRORS_PNG"]() != DRAWINGS["CHECKOUT_ERRORS_ROLLBACK_PNG"]()
