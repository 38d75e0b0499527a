"""The report of examples/ in a real headless Chromium: no console error, no request, and the
level map drawn where it should be (pixels of its screenshot, decoded here).

Needs Debian's `chromium` (`.ci/run` installs it) and the `playwright` package (the `test`
extra). Missing either, the tests are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.report_screenshot import CHROMIUM, open_page, report_of_examples


def _browser_available() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = _browser_available()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    path = tmp_path_factory.mktemp("browser") / "report.html"
    report_of_examples(path)
    return path


def test_the_page_opens_without_console_errors_or_requests_and_fits_a_phone(
    page_file: Path,
) -> None:
    with open_page(page_file) as (page, visit):
        assert page.title().startswith("formalai-lint report")
        assert page.locator("section").count() == 4
        page.locator("#level-map-chart circle.point").first.hover()  # shows its <title>
        page.set_viewport_size({"width": 375, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth")
        chart = page.locator("#level-map-chart").bounding_box()
    assert visit.errors == []
    assert visit.requests == [page_file.resolve().as_uri()]  # the page itself, nothing else
    assert overflow <= 375
    assert chart is not None and chart["width"] <= 375


def test_the_level_map_is_drawn(page_file: Path) -> None:
    with open_page(page_file, width=800) as (page, visit):
        chart = page.locator("#level-map-chart")
        box = chart.bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 300
        width, height, pixels = decode_png(chart.screenshot())
    assert visit.errors == []
    colours = set(pixels)
    blank = sum(1 for p in pixels if p[0] > 245 and p[1] > 245 and p[2] > 245)
    assert blank < 0.85 * width * height, "the chart is (nearly) blank"
    assert len(colours) > 50  # regions, grid, points, anti-aliased text
    # the L0 region (a < 30%, C < 0.30), at the bottom left, is drawn in its red
    left, bottom = int(width * 0.12), int(height * 0.85)
    assert _reddish(pixels[bottom * width + left]), pixels[bottom * width + left]


def _reddish(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > g + 20 and r > b + 20


def decode_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and RGB pixels of an 8-bit RGB or RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = dict(_chunks(data[8:]))
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = width * channels
    previous = bytearray(stride)
    pixels: list[tuple[int, int, int]] = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, channels)
        pixels.extend((line[i], line[i + 1], line[i + 2]) for i in range(0, stride, channels))
        previous = line
    return width, height, pixels


def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    idat = b""
    while data:
        (length,) = struct.unpack(">I", data[:4])
        kind, body = data[4:8], data[8 : 8 + length]
        data = data[12 + length :]
        if kind == b"IDAT":
            idat += body
        else:
            yield kind, body
    yield b"IDAT", idat


def _unfilter(kind: int, line: bytearray, up: bytearray, bpp: int) -> None:
    if kind == 0:
        return
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        b = up[i]
        if kind == 1:
            line[i] = (line[i] + a) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + b) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (a + b) // 2) & 0xFF
        else:
            c = up[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[i] = (line[i] + pred) & 0xFF


def test_png_decoder_reads_what_zlib_wrote() -> None:
    """The decoder above on a 2x2 RGB image with each filter kind the rows need."""
    rows = [b"\x00" + bytes([255, 0, 0, 0, 255, 0]), b"\x02" + bytes([0, 0, 255, 255, 0, 0])]
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + b"\0\0\0\0"

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    assert decode_png(png) == (2, 2, [(255, 0, 0), (0, 255, 0), (255, 0, 255), (255, 255, 0)])
