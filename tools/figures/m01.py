"""Figures for module 1 "Съвременно управление на библиотеката" (content/01-upravlenie/images/).

python tools/figures/m01.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

from common import (
    ACCENT,
    ACCENT_LIGHT,
    BRAND,
    BRAND_LIGHT,
    GREEN,
    GREEN_LIGHT,
    INK,
    MUTED,
    Figure,
    font,
)

FOLDER = "01-upravlenie"


def planning_cycle() -> None:
    """The strategic planning cycle in six steps."""
    fig = Figure(1400, 1040, "Цикъл на стратегическото планиране")
    steps = [
        "Анализ на средата\n(PEST, SWOT)",
        "Мисия и визия",
        "Стратегически цели",
        "План за действие",
        "Изпълнение",
        "Наблюдение и оценка",
    ]
    colors = [ACCENT_LIGHT, BRAND_LIGHT, BRAND_LIGHT, BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT]
    center = (700, 560)
    fig.cycle(steps, center, 375, box=(260, 110), colors=colors)
    fig.text_center(center, "Стратегически\nплан на\nбиблиотеката", font(28, bold=True), BRAND)
    fig.save(FOLDER, "tsikal-planirane.png")


def data_to_decision() -> None:
    """From a question to a decision and back: five steps with a loop."""
    fig = Figure(1500, 420, "От данните към решението")
    steps = [
        ("Въпрос", "Какво искаме да разберем?"),
        ("Данни", "Събираме само нужното"),
        ("Анализ", "Сравняваме и питаме защо"),
        ("Решение", "Едно действие и показател"),
        ("Проверка", "Какво се промени?"),
    ]
    margin, gap, top, height = 40, 50, 120, 170
    width = (fig.width - 2 * margin - gap * (len(steps) - 1)) // len(steps)
    centers = []
    for i, (label, text) in enumerate(steps):
        x = margin + i * (width + gap)
        fill = GREEN_LIGHT if i == 3 else BRAND_LIGHT
        outline = GREEN if i == 3 else BRAND
        fig.draw.rounded_rectangle(
            (x, top, x + width, top + height), radius=14, fill=fill, outline=outline, width=3
        )
        fig.text_center((x + width // 2, top + 45), label, font(26, bold=True), outline)
        fig.text_center((x + width // 2, top + 110), text, font(24), INK, max_width=width - 30)
        if i:
            mid = top + height // 2
            fig.arrow((x - gap + 6, mid), (x - 6, mid))
        centers.append(x + width // 2)
    # the loop back: from the check to a new question
    y0, y1 = top + height + 6, top + height + 70
    fig.draw.line(((centers[-1], y0), (centers[-1], y1)), fill=ACCENT, width=4)
    fig.draw.line(((centers[-1], y1), (centers[0], y1)), fill=ACCENT, width=4)
    fig.arrow((centers[0], y1), (centers[0], y0), fill=ACCENT)
    label = "Резултатът поражда нов въпрос"
    lw = fig.draw.textlength(label, font=font(22))
    mid = (centers[0] + centers[-1]) // 2
    fig.draw.rectangle((mid - lw / 2 - 12, y1 - 16, mid + lw / 2 + 12, y1 + 16), fill="#ffffff")
    fig.text_center((mid, y1), label, font(22), ACCENT)
    fig.save(FOLDER, "ot-danni-kam-reshenie.png")


def kotter() -> None:
    """Kotter's eight steps in two rows, grouped by colour into three stages."""
    fig = Figure(1500, 760, "Осемте стъпки на промяната (по Джон Котър)")
    steps = [
        "Чувство за неотложност",
        "Водещ екип",
        "Визия за промяната",
        "Разказване на визията",
        "Премахване на пречките",
        "Бързи успехи",
        "Надграждане",
        "Закрепване в културата",
    ]
    stages = [
        (BRAND_LIGHT, BRAND, "Подготовка: стъпки 1–3"),
        (ACCENT_LIGHT, ACCENT, "Действие: стъпки 4–6"),
        (GREEN_LIGHT, GREEN, "Закрепване: стъпки 7–8"),
    ]

    def stage(i: int) -> tuple[str, str, str]:
        return stages[0] if i < 3 else stages[1] if i < 6 else stages[2]

    margin, gap, width, height = 40, 60, 305, 150
    rows = (120, 380)
    rects = []
    for i in range(8):
        row, col = divmod(i, 4)
        if row == 1:  # the second row runs right to left
            col = 3 - col
        x = margin + col * (width + gap)
        rects.append((x, rows[row], x + width, rows[row] + height))
    for i, rect in enumerate(rects):
        fill, outline, _ = stage(i)
        x0, y0, x1, y1 = rect
        fig.draw.rounded_rectangle(rect, radius=14, fill=fill, outline=outline, width=3)
        # a numbered disc in the top-left corner
        fig.draw.ellipse((x0 + 14, y0 + 14, x0 + 58, y0 + 58), fill=outline)
        fig.text_center((x0 + 36, y0 + 35), str(i + 1), font(24, bold=True), "#ffffff")
        fig.text_center(
            ((x0 + x1) // 2 + 18, (y0 + y1) // 2 + 8),
            steps[i],
            font(24, bold=True),
            INK,
            max_width=width - 90,
        )
    for a, b in itertools.pairwise(rects):
        if a[1] == b[1]:
            mid = a[1] + height // 2
            if b[0] > a[0]:
                fig.arrow((a[2] + 6, mid), (b[0] - 6, mid))
            else:
                fig.arrow((a[0] - 6, mid), (b[2] + 6, mid))
        else:
            cx = (a[0] + a[2]) // 2
            fig.arrow((cx, a[3] + 6), (cx, b[1] - 6))
    # legend
    x, y = 110, 620
    for fill, outline, text in stages:
        fig.draw.rounded_rectangle(
            (x, y, x + 40, y + 40), radius=8, fill=fill, outline=outline, width=3
        )
        fig.text_left((x + 54, y + 6), text, font(24), INK)
        x += 450
    fig.text_center(
        (fig.width // 2, 712),
        "Промяната завършва едва когато новото стане част от всекидневната работа.",
        font(22),
        MUTED,
    )
    fig.save(FOLDER, "kotar-8-stapki.png")


if __name__ == "__main__":
    planning_cycle()
    data_to_decision()
    kotter()
