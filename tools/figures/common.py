"""Drawing helpers for the programme's illustrations, so every figure shares one style.

Each module has a script beside this one (``m01.py`` …) that draws its figures with these
helpers and saves them as PNG into the module's ``images/`` folder; ``tools/make_figures.py``
runs them all. The PNGs are committed; the scripts are how they were made.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# The theme's palette (packager/targets/html/theme/style.css): contrast at least 4.5:1 on white.
INK = "#1d2329"
MUTED = "#4a5561"
BRAND = "#123c69"
BRAND_LIGHT = "#e3ebf4"
ACCENT = "#b3541e"
ACCENT_LIGHT = "#fbeadf"
GREEN = "#1e6b34"
GREEN_LIGHT = "#e3f1e7"
LINE = "#9aa7b4"
WHITE = "#ffffff"


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


class Figure:
    """A white canvas with an optional title; draw on ``self.draw``, then ``save``."""

    def __init__(self, width: int, height: int, title: str | None = None) -> None:
        self.image = Image.new("RGB", (width, height), WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.width, self.height = width, height
        self.top = 24
        if title:
            self.text_center((width // 2, 44), title, font(30, bold=True), BRAND)
            self.top = 90

    def save(self, module_folder: str, name: str) -> Path:
        out = CONTENT / module_folder / "images" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        self.image.save(out, "PNG", optimize=True)
        return out

    # text -------------------------------------------------------------------------------

    def wrap(self, text: str, fnt: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split():
                trial = f"{line} {word}".strip()
                if self.draw.textlength(trial, font=fnt) <= max_width or not line:
                    line = trial
                else:
                    lines.append(line)
                    line = word
            lines.append(line)
        return lines

    def text_center(
        self,
        center: tuple[int, int],
        text: str,
        fnt: ImageFont.FreeTypeFont,
        fill: str = INK,
        max_width: int | None = None,
        spacing: int = 6,
    ) -> None:
        lines = self.wrap(text, fnt, max_width) if max_width else text.split("\n")
        height = sum(fnt.getbbox(ln or " ")[3] for ln in lines) + spacing * (len(lines) - 1)
        y = center[1] - height / 2
        for ln in lines:
            w = self.draw.textlength(ln, font=fnt)
            self.draw.text((center[0] - w / 2, y), ln, font=fnt, fill=fill)
            y += fnt.getbbox(ln or " ")[3] + spacing

    def text_left(
        self, xy: tuple[int, int], text: str, fnt: ImageFont.FreeTypeFont, fill: str = INK,
        max_width: int | None = None, spacing: int = 6,
    ) -> int:  # fmt: skip
        """Draw wrapped text from its top-left corner; returns the y below it."""
        x, y = xy
        for ln in self.wrap(text, fnt, max_width) if max_width else text.split("\n"):
            self.draw.text((x, y), ln, font=fnt, fill=fill)
            y += fnt.getbbox(ln or " ")[3] + spacing
        return y

    # shapes -----------------------------------------------------------------------------

    def box(
        self,
        rect: tuple[int, int, int, int],
        text: str,
        fill: str = BRAND_LIGHT,
        outline: str = BRAND,
        fnt: ImageFont.FreeTypeFont | None = None,
        text_fill: str = INK,
        radius: int = 14,
    ) -> None:
        self.draw.rounded_rectangle(rect, radius=radius, fill=fill, outline=outline, width=3)
        x0, y0, x1, y1 = rect
        self.text_center(
            ((x0 + x1) // 2, (y0 + y1) // 2), text, fnt or font(22), text_fill, x1 - x0 - 24
        )

    def arrow(
        self, start: tuple[float, float], end: tuple[float, float], fill: str = BRAND,
        width: int = 4, head: int = 16,
    ) -> None:  # fmt: skip
        self.draw.line((start, end), fill=fill, width=width)
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        left = (end[0] - head * math.cos(angle - 0.45), end[1] - head * math.sin(angle - 0.45))
        right = (end[0] - head * math.cos(angle + 0.45), end[1] - head * math.sin(angle + 0.45))
        self.draw.polygon((end, left, right), fill=fill)

    # ready-made diagrams ------------------------------------------------------------------

    def flow(self, steps: Sequence[str], y: int, height: int = 120, gap: int = 40) -> None:
        """Boxes left to right joined by arrows."""
        margin = 40
        width = (self.width - 2 * margin - gap * (len(steps) - 1)) // len(steps)
        for i, step in enumerate(steps):
            x = margin + i * (width + gap)
            self.box((x, y, x + width, y + height), step)
            if i:
                self.arrow((x - gap + 4, y + height // 2), (x - 4, y + height // 2))

    def cycle(
        self, steps: Sequence[str], center: tuple[int, int], radius: int,
        box: tuple[int, int] = (230, 100), colors: Sequence[str] = (BRAND_LIGHT,),
    ) -> None:  # fmt: skip
        """Boxes on a circle joined clockwise by arrows."""
        n = len(steps)
        points = []
        for i in range(n):
            a = -math.pi / 2 + 2 * math.pi * i / n
            points.append((center[0] + radius * math.cos(a), center[1] + radius * math.sin(a)))
        w, h = box
        # the circle first, boxes over it, an arrowhead half-way between each pair of boxes
        ring = (center[0] - radius, center[1] - radius, center[0] + radius, center[1] + radius)
        self.draw.ellipse(ring, outline=LINE, width=4)
        for i in range(n):
            a = -math.pi / 2 + 2 * math.pi * (i + 0.5) / n
            tip = (center[0] + radius * math.cos(a), center[1] + radius * math.sin(a))
            back = a - 0.08
            tail = (center[0] + radius * math.cos(back), center[1] + radius * math.sin(back))
            self.arrow(tail, tip, fill=BRAND, head=22)
        for i, (px, py) in enumerate(points):
            color = colors[i % len(colors)]
            rect = (int(px - w / 2), int(py - h / 2), int(px + w / 2), int(py + h / 2))
            self.box(rect, steps[i], fill=color)

    def checklist(
        self, items: Sequence[str], xy: tuple[int, int], width: int, fnt_size: int = 22,
        gap: int = 18,
    ) -> int:  # fmt: skip
        """A list of items with ticked boxes; returns the y below it."""
        x, y = xy
        fnt = font(fnt_size)
        for item in items:
            self.draw.rounded_rectangle(
                (x, y + 2, x + 28, y + 30), radius=5, outline=GREEN, width=3
            )
            self.draw.line((x + 6, y + 16, x + 12, y + 24, x + 24, y + 8), fill=GREEN, width=4)
            y = self.text_left((x + 44, y), item, fnt, max_width=width - 44) + gap
        return y


def card(
    fig: Figure, rect: tuple[int, int, int, int], heading: str, body: str, fill: str,
    outline: str, pad: int = 18, size: int = 21,
) -> None:  # fmt: skip
    """A rounded box with a bold heading at the top and wrapped text below it."""
    x0, y0, x1, _ = rect
    fig.draw.rounded_rectangle(rect, radius=14, fill=fill, outline=outline, width=3)
    y = fig.text_left((x0 + pad, y0 + 14), heading, font(24, bold=True), outline, x1 - x0 - 2 * pad)
    fig.text_left((x0 + pad, y + 8), body, font(size), INK, x1 - x0 - 2 * pad)


def staircase(
    fig: Figure, steps: Sequence[tuple[str, str]], rise: int, first_top: int, note_dy: int,
    axis_label: str,
) -> None:  # fmt: skip
    """Four rising steps (two blue, two green) on one floor, with an arrow up the left side
    labelled with what grows from step to step."""
    fills = [BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT, GREEN_LIGHT]
    outlines = [BRAND, BRAND, GREEN, GREEN]
    margin, gap, width, bottom = 150, 20, 310, 650
    for i, (label, note) in enumerate(steps):
        x0 = margin + i * (width + gap)
        y0 = first_top - i * rise
        fig.draw.rounded_rectangle(
            (x0, y0, x0 + width, bottom), radius=14, fill=fills[i], outline=outlines[i], width=3
        )
        fig.text_center((x0 + width // 2, y0 + 36), label, font(26, bold=True), outlines[i])
        fig.text_center((x0 + width // 2, y0 + note_dy), note, font(21), INK, width - 30)
    fig.draw.line((margin - 20, bottom, fig.width - 40, bottom), fill=MUTED, width=3)
    top = first_top - (len(steps) - 1) * rise
    fig.arrow((95, bottom), (95, top), fill=ACCENT, width=6, head=24)
    fnt = font(21, bold=True)
    w = int(fig.draw.textlength(axis_label, font=fnt))
    layer = Figure(w + 10, 40)
    layer.draw.text((5, 6), axis_label, font=fnt, fill=ACCENT)
    rotated = layer.image.rotate(90, expand=True)
    fig.image.paste(rotated, (40, (bottom + top) // 2 - rotated.height // 2))
