"""Figures for the introduction (content/00-vavedenie/images/).

python tools/figures/m00.py
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

FOLDER = "00-vavedenie"


def titled_box(
    fig: Figure,
    rect: tuple[int, int, int, int],
    label: str,
    text: str,
    fill: str = BRAND_LIGHT,
    outline: str = BRAND,
    label_fill: str = BRAND,
) -> None:
    """A rounded box with a bold label line above wrapped body text."""
    fig.draw.rounded_rectangle(rect, radius=14, fill=fill, outline=outline, width=3)
    x0, y0, x1, y1 = rect
    label_font, body_font = font(24, bold=True), font(24)
    lines = fig.wrap(text, body_font, x1 - x0 - 28)
    line_h = body_font.getbbox("Ay")[3] + 6
    block = 30 + line_h * len(lines)
    top = (y0 + y1) // 2 - block // 2
    fig.text_center(((x0 + x1) // 2, top + 12), label, label_font, label_fill)
    y = top + 34
    for ln in lines:
        w = fig.draw.textlength(ln, font=body_font)
        fig.draw.text(((x0 + x1) / 2 - w / 2, y), ln, font=body_font, fill=INK)
        y += line_h


def path_of_knowledge() -> None:
    """How the learning travels: from Spain and Finland to every municipal library."""
    fig = Figure(1500, 470, "Как знанието стига до вас")
    steps = [
        ("1", "Обучения в Испания и Финландия"),
        ("2", "Седемте библиотеки от консорциума изпробват наученото"),
        ("3", "Опитът се събира в програма от седем модула"),
        ("4", "Служителите на общинските библиотеки в България учат"),
        ("5", "Промяната стига до местните общности"),
    ]
    margin, gap, top, height = 40, 44, 120, 230
    width = (fig.width - 2 * margin - gap * (len(steps) - 1)) // len(steps)
    for i, (num, text) in enumerate(steps):
        x = margin + i * (width + gap)
        you = i == 3
        titled_box(
            fig,
            (x, top, x + width, top + height),
            f"Стъпка {num}",
            text,
            fill=ACCENT_LIGHT if you else (GREEN_LIGHT if i == 4 else BRAND_LIGHT),
            outline=ACCENT if you else (GREEN if i == 4 else BRAND),
            label_fill=ACCENT if you else (GREEN if i == 4 else BRAND),
        )
        if i:
            mid = top + height // 2
            fig.arrow((x - gap + 6, mid), (x - 6, mid))
        if you:
            cx = x + width // 2
            fig.arrow((cx, top + height + 70), (cx, top + height + 10), fill=ACCENT)
            fig.text_center((cx, top + height + 90), "Вие сте тук", font(24, bold=True), ACCENT)
    fig.save(FOLDER, "pat-na-znanieto.png")


def seven_marks() -> None:
    """A checklist of the marks of a modern library."""
    fig = Figure(1300, 700, "Седем белега на модерната библиотека")
    items = [
        "Тръгва от нуждите на общността",
        "Място за учене и срещи, не само за книги",
        "Помага на хората в дигиталния свят",
        "Решава въз основа на данни",
        "Работи с партньори: училища, читалища, общината, организации",
        "Има екип, който непрекъснато се учи",
        "Отворена е за всички — и за хората, които още не идват",
    ]
    fig.checklist(items, (110, 130), 1180, fnt_size=28, gap=40)
    fig.save(FOLDER, "belezi.png")


def programme_map() -> None:
    """The introduction, the seven modules and the final assessment as a path."""
    fig = Figure(1500, 790, "Пътят през програмата")
    modules = [
        ("Въведение", "Проектът, целите, как се учи"),
        ("Модул 1", "Съвременно управление на библиотеката"),
        ("Модул 2", "Иновативни библиотечни услуги"),
        ("Модул 3", "Интерактивни методи за работа с потребителите"),
        ("Модул 4", "Работа с местните общности"),
        ("Модул 5", "Разработване на обучителни модули"),
        ("Модул 6", "Презентационни умения"),
        ("Модул 7", "Лидерство"),
    ]
    margin, gap, width, height = 40, 60, 305, 165
    rows = (120, 365)
    rects = []
    for i in range(8):
        row, col = divmod(i, 4)
        if row == 1:  # the second row runs right to left, like a path
            col = 3 - col
        x = margin + col * (width + gap)
        y = rows[row]
        rects.append((x, y, x + width, y + height))
    for i, ((label, text), rect) in enumerate(zip(modules, rects, strict=True)):
        intro = i == 0
        titled_box(
            fig,
            rect,
            label,
            text,
            fill=GREEN_LIGHT if intro else BRAND_LIGHT,
            outline=GREEN if intro else BRAND,
            label_fill=GREEN if intro else BRAND,
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
    # the final assessment under the last module
    last = rects[-1]
    final = (margin, 615, fig.width - margin, 715)
    cx = (last[0] + last[2]) // 2
    fig.arrow((cx, last[3] + 6), (cx, final[1] - 6))
    fig.box(
        final,
        "Заключително оценяване — обхваща цялата програма",
        fill=ACCENT_LIGHT,
        outline=ACCENT,
        fnt=font(26, bold=True),
    )
    fig.text_center(
        (fig.width // 2, 755),
        "Всеки модул: уроци с практически задачи и тест (успех от 70%, три опита)",
        font(22),
        MUTED,
    )
    fig.save(FOLDER, "sedem-modula.png")


if __name__ == "__main__":
    path_of_knowledge()
    seven_marks()
    programme_map()
