"""Figures for module 4, „Работа с местните общности“.

python tools/figures/m04.py
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
    MUTED,
    Figure,
    font,
    staircase,
)

MODULE = "04-mestni-obshtnosti"


def needs_cycle() -> None:
    """Lesson 1: the cycle of a community needs assessment."""
    fig = Figure(1400, 1060, "Цикъл на анализа на нуждите на общността")
    steps = [
        "1. Определете въпроса",
        "2. Съберете готовите данни",
        "3. Попитайте хората — и тези, които не идват",
        "4. Анализирайте и подредете приоритетите",
        "5. Решете и действайте",
        "6. Върнете резултата на общността",
    ]
    colors = [BRAND_LIGHT, BRAND_LIGHT, ACCENT_LIGHT, BRAND_LIGHT, GREEN_LIGHT, GREEN_LIGHT]
    fig.cycle(steps, (700, 580), 360, box=(330, 120), colors=colors)
    fig.text_center((700, 560), "Общността", font(30, bold=True), BRAND)
    fig.text_center((700, 606), "всеки 2–3 години", font(22), MUTED)
    fig.save(MODULE, "tsikal-analiz.png")


def partnership_ladder() -> None:
    """Lesson 2: four steps from informing to partnership."""
    fig = Figure(1500, 700, "Стълба на сътрудничеството")
    steps = [
        ("Информиране", "обменяме информация и покани"),
        ("Консултиране", "питаме се за мнение"),
        ("Сътрудничество", "правим заедно конкретни дейности"),
        ("Партньорство", "споделяме цели, ресурси, отговорност и резултати"),
    ]
    staircase(fig, steps, rise=115, first_top=500, note_dy=112,
              axis_label="повече доверие, време и обща отговорност")  # fmt: skip
    fig.save(MODULE, "stalba-partnyorstvo.png")


def volunteer_cycle() -> None:
    """Lesson 3: the cycle of work with volunteers."""
    fig = Figure(1400, 1060, "Цикъл на работата с доброволци")
    steps = [
        "1. Описание на ролята",
        "2. Набиране",
        "3. Въвеждане и обучение",
        "4. Подкрепа и отговорен служител",
        "5. Признание и благодарност",
        "6. Оценка и обновяване на ролята",
    ]
    colors = [BRAND_LIGHT, BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT, ACCENT_LIGHT, GREEN_LIGHT]
    fig.cycle(steps, (700, 580), 360, box=(330, 120), colors=colors)
    fig.text_center((700, 545), "Доброволецът", font(30, bold=True), BRAND)
    fig.text_center(
        (700, 612), "писмено споразумение, лични данни, безопасност", font(21), MUTED, 300
    )
    fig.save(MODULE, "tsikal-dobrovoltsi.png")


def message_structure() -> None:
    """Lesson 4: the four parts of an advocacy message."""
    fig = Figure(1500, 560, "Структура на застъпническото послание")
    steps = [
        ("Нуждата", "проблем в общината, който слушателят вече познава"),
        ("Какво прави библиотеката", "услугата, която отговаря на нуждата"),
        ("Доказателство", "число, което показва мащаба, и история за промяната"),
        ("Молба", "конкретна и изпълнима: какво, от кого, до кога"),
    ]
    fills = [ACCENT_LIGHT, BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT]
    outlines = [ACCENT, BRAND, BRAND, GREEN]
    margin, gap = 40, 44
    n = len(steps)
    width = (fig.width - 2 * margin - gap * (n - 1)) // n
    y, height = 130, 130
    for i, (label, note) in enumerate(steps):
        x = margin + i * (width + gap)
        fig.box(
            (x, y, x + width, y + height), label, fill=fills[i], outline=outlines[i],
            fnt=font(25, bold=True),
        )  # fmt: skip
        if i:
            fig.arrow((x - gap + 4, y + height // 2), (x - 4, y + height // 2))
        fig.text_center((x + width // 2, 330), note, font(21), MUTED, width - 20)
    fig.draw.line((margin, 440, fig.width - margin, 440), fill=BRAND_LIGHT, width=3)
    fig.text_center(
        (fig.width // 2, 495),
        "„Посланието за асансьора“: същите четири части в около 30 секунди.",
        font(23, bold=True), BRAND,
    )  # fmt: skip
    fig.save(MODULE, "struktura-poslanie.png")


if __name__ == "__main__":
    needs_cycle()
    partnership_ladder()
    volunteer_cycle()
    message_structure()
