"""Figures for module 3 "Интерактивни методи за работа с потребителите".

    python tools/figures/m03.py

Saves the PNGs into content/03-interaktivni-metodi/images/.
"""

from __future__ import annotations

import sys
from itertools import pairwise
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
    LINE,
    MUTED,
    WHITE,
    Figure,
    card,
    font,
)

MODULE = "03-interaktivni-metodi"


def ladder() -> None:
    """Five rising steps of participation, each with a library example."""
    fig = Figure(1500, 820, "Стълба на участието")
    steps = [
        ("1. Слушат", "лекция, представяне на книга, концерт"),
        ("2. Питат", "въпроси към госта, въпроси, събрани предварително"),
        ("3. Обсъждат", "клуб по четене, дискусия в малки групи"),
        ("4. Правят", "работилница, игра, игра на роли"),
        ("5. Създават заедно", "проектират услуга, пишат обща история, водят занимания"),
    ]
    fills = [BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT, GREEN_LIGHT, ACCENT_LIGHT]
    outlines = [BRAND, BRAND, GREEN, GREEN, ACCENT]
    margin, gap = 40, 14
    w = (1500 - 2 * margin - 4 * gap) // 5
    bottom, step_h, base_h = 700, 95, 250
    for i, (head, body) in enumerate(steps):
        x0 = margin + i * (w + gap)
        top = bottom - base_h - i * step_h
        card(fig, (x0, top, x0 + w, bottom), head, body, fills[i], outlines[i], pad=16)
    fig.arrow((margin, 750), (1500 - margin, 750), fill=MUTED, width=4)
    fig.text_center(
        (750, 790),
        "по-високо стъпало: по-активни участници, повече подготовка, обикновено по-малка група",
        font(22),
        MUTED,
    )
    fig.save(MODULE, "stalba-uchastie.png")


def design_thinking() -> None:
    """Five steps of design thinking, with a library example and a loop back."""
    fig = Figure(1560, 490, "Дизайн мислене в библиотеката: пет стъпки")
    steps = [
        ("1. Разбиране", "наблюдавате и питате родителите в детския отдел"),
        ("2. Проблем", "„Как да помогнем на работещите родители да…“"),
        ("3. Идеи", "много идеи, без критика: съботен час, кът за игра…"),
        ("4. Прототип", "макет от картон, пробна листовка, едно занимание"),
        ("5. Изпробване", "показвате на хората, слушате, подобрявате"),
    ]
    margin, gap = 30, 40
    w = (1560 - 2 * margin - 4 * gap) // 5
    top, h = 120, 210
    for i, (head, body) in enumerate(steps):
        x0 = margin + i * (w + gap)
        fill, outline = (ACCENT_LIGHT, ACCENT) if i == 3 else (BRAND_LIGHT, BRAND)
        card(fig, (x0, top, x0 + w, top + h), head, body, fill, outline, pad=16)
        if i:
            fig.arrow((x0 - gap + 4, top + h // 2), (x0 - 4, top + h // 2))
    # the loop back from testing to understanding
    y = top + h + 60
    x_first = margin + w // 2
    x_last = margin + 4 * (w + gap) + w // 2
    fig.draw.line(((x_last, top + h + 4), (x_last, y)), fill=MUTED, width=4)
    fig.draw.line(((x_last, y), (x_first, y)), fill=MUTED, width=4)
    fig.arrow((x_first, y), (x_first, top + h + 6), fill=MUTED, width=4)
    fig.text_center(
        (780, y + 40), "изпробването често връща към началото с нови въпроси", font(22), MUTED
    )
    fig.save(MODULE, "dizain-mislene.png")


def human_library() -> None:
    """How a human library event runs, as a flow in two rows."""
    fig = Figure(1500, 680, "Как протича жива библиотека")
    steps = [
        ("1. Подбор на „книгите“", "хора с опит, който често среща предразсъдъци"),
        ("2. Подготовка", "среща с „книгите“: заглавие, граници, право да откажат"),
        ("3. Каталог", "списък със заглавия и кратки описания за „читателите“"),
        ("4. Заемане", "„читателят“ избира книга и приема правилата"),
        ("5. Разговор", "около половин час, лице в лице, с уважение"),
        ("6. Връщане", "обратна връзка от „читателя“ и от „книгата“"),
    ]
    w, h, gap = 420, 190, 60
    x_start = (1500 - 3 * w - 2 * gap) // 2
    rows_y = [120, 420]
    rects = []
    for i in range(6):
        r, c = divmod(i, 3)
        if r == 1:
            c = 2 - c
        x0 = x_start + c * (w + gap)
        rects.append((x0, rows_y[r], x0 + w, rows_y[r] + h))
    for i, (rect, (head, body)) in enumerate(zip(rects, steps, strict=True)):
        fill, outline = (GREEN_LIGHT, GREEN) if i == 4 else (BRAND_LIGHT, BRAND)
        card(fig, rect, head, body, fill, outline, pad=16)
    for a, b in pairwise(rects):
        if a[1] == b[1]:
            y = (a[1] + a[3]) // 2
            if b[0] > a[0]:
                fig.arrow((a[2] + 6, y), (b[0] - 6, y))
            else:
                fig.arrow((a[0] - 6, y), (b[2] + 6, y))
        else:
            x = (a[0] + a[2]) // 2
            fig.arrow((x, a[3] + 6), (x, b[1] - 6))
    fig.text_center((750, 645), "Мото: „Не съдете книгата по корицата“", font(24, bold=True), MUTED)
    fig.save(MODULE, "zhiva-biblioteka.png")


def ages() -> None:
    """Indicative length of one session and suitable methods for five age groups."""
    fig = Figure(1560, 860, "Възрастови групи: ориентировъчна продължителност и методи")
    groups = [
        ("Малки деца и семейства", 20, 30, "приказка, рими, игри с движение, куклен театър"),
        ("Ученици", 45, 60, "търсене на съкровище, викторини, роботика"),
        ("Младежи", 60, 120, "младежки съвет, игри, подкаст, доброволчество"),
        ("Възрастни в активна възраст", 60, 90, "кратки практически работилници, клубове"),
        ("Възрастни хора", 60, 90, "клуб по четене, спомени, дигитална помощ"),
    ]
    label_w, x0, x1 = 330, 380, 940  # the bar scale runs from 0 to 120 minutes
    scale = (x1 - x0) / 120
    top, row_h = 160, 120
    # the scale
    for m in range(0, 121, 30):
        x = x0 + m * scale
        fig.draw.line(((x, top - 20), (x, top + 5 * row_h - 10)), fill=LINE, width=2)
        fig.text_center((int(x), top - 42), f"{m} мин.", font(20), MUTED)
    fig.text_left((1050, top - 54), "Подходящи методи", font(22, bold=True), BRAND)
    for i, (name, lo, hi, methods) in enumerate(groups):
        y = top + i * row_h
        fig.text_left((30, y + 22), name, font(22, bold=True), INK, label_w)
        bar = (x0 + lo * scale, y + 25, x0 + hi * scale, y + 75)
        fig.draw.rounded_rectangle(
            (x0, y + 44, x0 + lo * scale, y + 56), radius=6, fill=BRAND_LIGHT
        )
        fig.draw.rounded_rectangle(bar, radius=10, fill=BRAND, outline=BRAND)
        label = f"{lo}–{hi} мин."
        fnt = font(21, bold=True)
        if bar[2] - bar[0] >= fig.draw.textlength(label, font=fnt) + 24:
            fig.text_center((int((bar[0] + bar[2]) / 2), y + 50), label, fnt, WHITE)
        else:  # a short bar: the label goes to its right
            fig.text_left((int(bar[2]) + 10, y + 38), label, fnt, BRAND)
        fig.text_left((1050, y + 22), methods, font(21), INK, 480)
    fig.text_center(
        (780, 810), "Ориентири, не правила: съобразете времето с конкретните хора.", font(22), MUTED
    )
    fig.save(MODULE, "vazrasti-prodalzhitelnost.png")


def session() -> None:
    """A 90-minute session as a timeline of five parts."""
    fig = Figure(1500, 560, "Структура на интерактивно занимание от 90 минути")
    parts = [
        ("Откриване", 10, BRAND_LIGHT, BRAND, "цел, правила, какво ни очаква"),
        ("Въвеждащо упражнение", 10, BRAND_LIGHT, BRAND, "всеки казва или прави нещо"),
        ("Основна част", 50, GREEN_LIGHT, GREEN, "методът: работилница, обсъждане, игра"),
        ("Рефлексия", 15, ACCENT_LIGHT, ACCENT, "какво научихме, как ще го използваме"),
        ("Закриване", 5, BRAND_LIGHT, BRAND, "благодарност, оценка"),
    ]
    x0, x1, y0, y1 = 40, 1460, 200, 290
    scale = (x1 - x0) / 90
    x = x0
    t = 0
    for i, (name, minutes, fill, outline, note) in enumerate(parts):
        w = minutes * scale
        fig.draw.rectangle((x, y0, x + w, y1), fill=fill, outline=outline, width=3)
        label = f"{minutes} мин."
        fnt = font(22, bold=True)
        if fig.draw.textlength(label, font=fnt) > w - 12:  # a narrow part: a smaller label
            fnt = font(20)
        fig.text_center((int(x + w / 2), (y0 + y1) // 2), label, fnt, outline)
        fig.text_left((int(x) + 2, y1 + 12), f"{t}", font(20), MUTED)
        # labels alternate above and below the bar so that short parts do not collide
        cx = int(x + w / 2)
        # keep each label inside the canvas
        half = max(fig.draw.textlength(t_, font=font(21)) for t_ in (name, note)) / 2
        lx = int(min(max(cx, half + 16), fig.width - half - 16))
        if i % 2 == 0:
            fig.draw.line(((cx, y0 - 4), (cx, y0 - 28)), fill=outline, width=3)
            fig.text_center((lx, y0 - 76), f"{name}\n{note}", font(21), INK)
        else:
            fig.draw.line(((cx, y1 + 40), (cx, y1 + 64)), fill=outline, width=3)
            fig.text_center((lx, y1 + 110), f"{name}\n{note}", font(21), INK)
        x += w
        t += minutes
    fig.text_left((x1 - 30, y1 + 12), "90", font(20), MUTED)
    fig.text_center(
        (750, 530), "При по-кратко занимание частите се скъсяват, но не изпадат.", font(22), MUTED
    )
    fig.save(MODULE, "struktura-zanimanie.png")


def checklist() -> None:
    """A preparation checklist for an interactive session, in two columns."""
    fig = Figure(1400, 470, "Контролен списък за подготовка на заниманието")
    left = [
        "Целта е записана като резултат за участниците",
        "Сценарият има време за всяка част",
        "Пространството е подредено според метода",
        "Материалите са подготвени с резерва",
        "Достъпност: вход, осветление, шрифт, звук",
    ]
    right = [
        "Помощникът знае своята роля",
        "Резервен план: много хора, малко хора, без техника",
        "Поканата е изпратена до точните хора",
        "Начинът за оценка е избран и подготвен",
    ]
    fig.checklist(left, (50, 120), 620, fnt_size=23, gap=26)
    fig.checklist(right, (730, 120), 620, fnt_size=23, gap=26)
    fig.save(MODULE, "kontrolen-spisak.png")


if __name__ == "__main__":
    ladder()
    design_thinking()
    human_library()
    ages()
    session()
    checklist()
