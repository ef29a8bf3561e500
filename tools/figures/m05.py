"""Figures for module 5, „Разработване на обучителни модули“.

python tools/figures/m05.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

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
    staircase,
)

MODULE = "05-obuchitelni-moduli"


def kolb_cycle() -> None:
    """Lesson 1: Kolb's cycle of experiential learning."""
    fig = Figure(1500, 1080, "Цикълът на учене чрез опит (Колб)")
    steps = [
        "Конкретен опит\n„правя“",
        "Наблюдение и размисъл\n„какво се случи?“",
        "Обобщение\n„какво научих?“",
        "Активно прилагане\n„как ще го използвам?“",
    ]
    colors = [ACCENT_LIGHT, BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT]
    fig.cycle(steps, (750, 585), 400, box=(380, 130), colors=colors)
    fig.text_center((750, 565), "Опитът", font(30, bold=True), BRAND)
    fig.text_center((750, 612), "е суровината на ученето", font(22), MUTED)
    fig.save(MODULE, "tsikal-kolb.png")


def bloom_pyramid() -> None:
    """Lesson 2: the six levels of the revised Bloom's taxonomy."""
    fig = Figure(1500, 900, "Ревизираната таксономия на Блум")
    levels = [  # bottom to top
        ("Запомняне", "изброява, назовава, разпознава"),
        ("Разбиране", "обяснява, описва, дава пример"),
        ("Прилагане", "използва, изпълнява, показва"),
        ("Анализ", "сравнява, разграничава, открива причини"),
        ("Оценяване", "преценява, избира, обосновава"),
        ("Създаване", "проектира, съставя, разработва"),
    ]
    fills = [BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT, GREEN_LIGHT, ACCENT_LIGHT, ACCENT_LIGHT]
    outlines = [BRAND, BRAND, GREEN, GREEN, ACCENT, ACCENT]
    cx, base, apex_w, base_w = 430, 840, 180, 780
    layer_h, gap = 110, 8
    n = len(levels)
    for i, (name, verbs) in enumerate(levels):
        y1 = base - i * (layer_h + gap)
        y0 = y1 - layer_h
        # widths shrink linearly from the base to the apex
        w_bottom = base_w - (base_w - apex_w) * i / n
        w_top = base_w - (base_w - apex_w) * (i + 1) / n
        poly = [
            (cx - w_bottom / 2, y1), (cx + w_bottom / 2, y1),
            (cx + w_top / 2, y0), (cx - w_top / 2, y0),
        ]  # fmt: skip
        fig.draw.polygon(poly, fill=fills[i], outline=outlines[i], width=3)
        fig.text_center((cx, (y0 + y1) // 2), f"{i + 1}. {name}", font(26, bold=True), INK)
        # the verbs to the right, joined by a thin line
        x_text = 860
        fig.draw.line(
            (cx + (w_bottom + w_top) / 4 + 10, (y0 + y1) // 2, x_text - 16, (y0 + y1) // 2),
            fill=outlines[i], width=2,
        )  # fmt: skip
        fig.text_left((x_text, (y0 + y1) // 2 - 14), verbs, font(23), MUTED)
    fig.arrow((1440, base), (1440, base - n * (layer_h + gap) + gap), fill=ACCENT, width=5)
    fig.text_center((1300, 120), "по-сложно мислене", font(22, bold=True), ACCENT)
    fig.save(MODULE, "piramida-blum.png")


def addie() -> None:
    """Lesson 3: the five phases of ADDIE with evaluation feeding back into every phase."""
    fig = Figure(1500, 520, "Моделът ADDIE")
    steps = [
        ("Анализ", "Analysis"),
        ("Проектиране", "Design"),
        ("Разработване", "Development"),
        ("Прилагане", "Implementation"),
        ("Оценяване", "Evaluation"),
    ]
    fills = [BRAND_LIGHT] * 4 + [GREEN_LIGHT]
    outlines = [BRAND] * 4 + [GREEN]
    margin, gap, y, height = 40, 40, 130, 140
    n = len(steps)
    width = (fig.width - 2 * margin - gap * (n - 1)) // n
    centers = []
    for i, (name, english) in enumerate(steps):
        x = margin + i * (width + gap)
        fig.draw.rounded_rectangle(
            (x, y, x + width, y + height), radius=14, fill=fills[i], outline=outlines[i], width=3
        )
        fig.text_center((x + width // 2, y + 55), name, font(25, bold=True), INK)
        fig.text_center((x + width // 2, y + 98), english, font(21), MUTED)
        if i:
            fig.arrow((x - gap + 4, y + height // 2), (x - 4, y + height // 2))
        centers.append(x + width // 2)
    # feedback: from evaluation down, left along a rail, up into every earlier phase
    rail = y + height + 90
    fig.draw.line((centers[-1], y + height + 4, centers[-1], rail), fill=GREEN, width=4)
    fig.draw.line((centers[0], rail, centers[-1], rail), fill=GREEN, width=4)
    for cx in centers[:-1]:
        fig.arrow((cx, rail), (cx, y + height + 6), fill=GREEN, width=4)
    fig.text_center(
        (fig.width // 2, rail + 50),
        "Оценяването се прави след всеки етап и подобрява всички предишни,",
        font(23, bold=True), GREEN,
    )  # fmt: skip
    fig.text_center(
        (fig.width // 2, rail + 95),
        "а изводите от проведеното обучение започват следващия анализ.",
        font(22), MUTED,
    )  # fmt: skip
    fig.save(MODULE, "model-addie.png")


def kirkpatrick() -> None:
    """Lesson 4: Kirkpatrick's four levels as a staircase."""
    fig = Figure(1500, 700, "Четирите нива на оценка по Къркпатрик")
    levels = [
        ("1. Реакция", "Харесаха ли обучението? Полезно ли им беше?"),
        ("2. Учене", "Какво научиха — знания, умения, нагласи?"),
        ("3. Поведение", "Прилагат ли наученото в работата и живота?"),
        ("4. Резултати", "Какво се промени за библиотеката и общността?"),
    ]
    staircase(
        fig,
        levels,
        rise=105,
        first_top=465,
        note_dy=108,
        axis_label="по-трудно за измерване, но по-ценно",
    )
    fig.save(MODULE, "niva-kirkpatrik.png")


if __name__ == "__main__":
    kolb_cycle()
    bloom_pyramid()
    addie()
    kirkpatrick()
