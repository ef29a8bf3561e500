"""Figures for module 6, „Презентационни умения“.

python tools/figures/m06.py
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
    LINE,
    MUTED,
    Figure,
    font,
)

MODULE = "06-prezentacionni-umenia"


def steps_with_notes(
    fig: Figure, steps: list[tuple[str, str]], y: int, height: int, colors: list[str],
    outlines: list[str], note_top: int, gap: int = 36, margin: int = 40, label_size: int = 24,
) -> None:  # fmt: skip
    """Boxes left to right joined by arrows, each with a short explanation below it."""
    n = len(steps)
    width = (fig.width - 2 * margin - gap * (n - 1)) // n
    for i, (label, note) in enumerate(steps):
        x = margin + i * (width + gap)
        fig.box(
            (x, y, x + width, y + height), label, fill=colors[i], outline=outlines[i],
            fnt=font(label_size, bold=True),
        )  # fmt: skip
        if i:
            fig.arrow((x - gap + 4, y + height // 2), (x - 4, y + height // 2))
        fnt = font(20)
        line_y = note_top
        for line in fig.wrap(note, fnt, width - 8):
            w = fig.draw.textlength(line, font=fnt)
            fig.draw.text((x + (width - w) / 2, line_y), line, font=fnt, fill=MUTED)
            line_y += 30


def structure() -> None:
    """Lesson 1: the five steps of a presentation's structure."""
    fig = Figure(1500, 560, "Структура на представянето")
    steps = [
        ("Кука", "история, въпрос или изненадващ факт от вашите данни"),
        ("Нужда", "какъв проблем в общността решаваме"),
        ("Решение", "какво предлага библиотеката — три основни точки"),
        ("Доказателства", "числа, примери и истории за всяка точка"),
        ("Призив за действие", "какво, от кого и до кога искаме"),
    ]
    colors = [ACCENT_LIGHT, BRAND_LIGHT, BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT]
    outlines = [ACCENT, BRAND, BRAND, BRAND, GREEN]
    steps_with_notes(fig, steps, 130, 120, colors, outlines, note_top=275, gap=44)
    # brackets for beginning, middle and end
    d = fig.draw
    y = 410
    margin, gap = 40, 44
    width = (fig.width - 2 * margin - gap * 4) // 5
    spans = [
        (0, 0, "Начало: първата минута", ACCENT),
        (1, 3, "Среда: послание с три точки", BRAND),
        (4, 4, "Край: ясна молба", GREEN),
    ]
    for first, last, label, color in spans:
        x0 = margin + first * (width + gap)
        x1 = margin + last * (width + gap) + width
        d.line((x0, y, x0, y + 18, x1, y + 18, x1, y), fill=color, width=4)
        fig.text_center(((x0 + x1) // 2, y + 50), label, font(21, bold=True), color, x1 - x0)
    fig.text_center(
        (fig.width // 2, 518),
        "Началото и краят се помнят най-добре — подгответе ги дословно.",
        font(21), MUTED,
    )  # fmt: skip
    fig.save(MODULE, "struktura-na-predstavyaneto.png")


def slide_checklist() -> None:
    """Lesson 2: a checklist for slides before the presentation."""
    fig = Figure(1400, 600, "Проверка на слайдовете преди представянето")
    left = [
        "Една идея на слайд",
        "Заглавие, което казва извода",
        "Не повече от шест реда текст",
        "Шрифт поне 24 пункта, без засечки",
        "Достатъчен контраст между текст и фон",
    ]
    right = [
        "Информацията не е само в цвета",
        "Собствени снимки, със съгласие на хората",
        "Графика с надписи и източник",
        "Файлът работи без интернет, има копие в PDF",
    ]
    d = fig.draw
    d.rounded_rectangle((40, 110, 680, 570), radius=16, fill=BRAND_LIGHT, outline=BRAND, width=3)
    d.rounded_rectangle((720, 110, 1360, 570), radius=16, fill=GREEN_LIGHT, outline=GREEN, width=3)
    fig.text_left((70, 130), "Яснота", font(24, bold=True), BRAND)
    fig.text_left((750, 130), "Достъпност и надеждност", font(24, bold=True), GREEN)
    fig.checklist(left, (70, 190), 570, fnt_size=22, gap=40)
    fig.checklist(right, (750, 190), 570, fnt_size=22, gap=40)
    fig.save(MODULE, "proverka-na-slaydovete.png")


def answering_questions() -> None:
    """Lesson 3: four steps for answering a question from the audience."""
    fig = Figure(1500, 440, "Как да отговорите на въпрос от публиката")
    steps = [
        ("1. Изслушайте", "докрай, без да прекъсвате"),
        ("2. Повторете", "накратко, за да го чуе цялата зала"),
        ("3. Отговорете", "кратко, с факт или пример — и спрете"),
        ("4. Проверете", "„Това отговаря ли на въпроса ви?“"),
    ]
    colors = [BRAND_LIGHT, BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT]
    outlines = [BRAND, BRAND, BRAND, GREEN]
    steps_with_notes(fig, steps, 130, 110, colors, outlines, note_top=265, gap=60)
    fig.draw.line((40, 370, 1460, 370), fill=LINE, width=2)
    fig.text_center(
        (fig.width // 2, 404),
        "Не знаете отговора? „Ще проверя и ще ви пиша до петък“ — и го направете.",
        font(21), MUTED,
    )  # fmt: skip
    fig.save(MODULE, "otgovor-na-vaprosi.png")


def short_pitch() -> None:
    """Lesson 4: the six parts of a short presentation to decision makers and partners."""
    fig = Figure(1600, 600, "Кратко представяне пред институции и партньори")
    steps = [
        ("Нужда", "проблем в общността, който познават"),
        ("Кои сме", "библиотеката с едно изречение"),
        ("Решение", "какво правим или ще направим"),
        ("Доказателства", "едно число и една история"),
        ("Полза за партньора", "как помагаме на неговите цели"),
        ("Молба", "какво, от кого и до кога"),
    ]
    colors = [BRAND_LIGHT] * 5 + [GREEN_LIGHT]
    outlines = [BRAND] * 5 + [GREEN]
    steps_with_notes(
        fig, steps, 130, 120, colors, outlines, note_top=280, gap=40, margin=30, label_size=22
    )
    lengths = [
        ("30 секунди", "в коридора: нужда, решение, молба"),
        ("3 минути", "пред комисия: всички шест части"),
        ("10 минути", "разширено, на среща: повече доказателства и въпроси"),
    ]
    x, w, gap = 40, 486, 31
    for i, (title, text) in enumerate(lengths):
        x0 = x + i * (w + gap)
        fig.box((x0, 420, x0 + w, 560), "", fill=ACCENT_LIGHT, outline=ACCENT)
        fig.text_center((x0 + w // 2, 455), title, font(24, bold=True), ACCENT)
        fig.text_center((x0 + w // 2, 515), text, font(21), MUTED, w - 30)
    fig.save(MODULE, "kratko-predstavyane.png")


if __name__ == "__main__":
    structure()
    slide_checklist()
    answering_questions()
    short_pitch()
