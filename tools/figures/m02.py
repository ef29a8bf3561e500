"""Figures for module 2 "Иновативни библиотечни услуги".

    python tools/figures/m02.py

Saves the PNGs into content/02-inovativni-uslugi/images/.
"""

from __future__ import annotations

import math
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

MODULE = "02-inovativni-uslugi"


def digcomp() -> None:
    """The five DigComp areas around the centre, each with a library example."""
    fig = Figure(1500, 920, "Пет области на дигиталната компетентност (DigComp)")
    cx, cy = 750, 520
    areas = [
        ("1. Информация и данни", "Търсене и проверка: „Как да разпознаем фалшива новина“"),
        ("2. Общуване и сътрудничество", "Електронна поща и разговори по видео с близките"),
        ("3. Създаване на съдържание", "Ученици правят кратък филм за своя квартал"),
        ("4. Безопасност", "Пароли, лични данни, телефонни и онлайн измами"),
        ("5. Решаване на проблеми", "„Настройте си новия телефон“: учим се да се справяме сами"),
    ]
    w, h = 420, 170
    radius_x, radius_y = 530, 315
    centers = []
    for i in range(5):
        a = -math.pi / 2 + 2 * math.pi * i / 5
        centers.append((cx + radius_x * math.cos(a), cy + radius_y * math.sin(a)))
    for px, py in centers:
        fig.draw.line(((cx, cy), (px, py)), fill=LINE, width=4)
    fig.draw.ellipse((cx - 150, cy - 90, cx + 150, cy + 90), fill=BRAND, outline=BRAND)
    fig.text_center((cx, cy), "Дигитална\nкомпетентност", font(28, bold=True), WHITE)
    for (heading, body), (px, py) in zip(areas, centers, strict=True):
        rect = (int(px - w / 2), int(py - h / 2), int(px + w / 2), int(py + h / 2))
        card(fig, rect, heading, body, BRAND_LIGHT, BRAND)
    fig.save(MODULE, "digcomp-oblasti.png")


def levels() -> None:
    """Three levels of a creative space, as rising steps."""
    fig = Figure(1500, 820, "Творческо пространство: три нива според бюджета")
    cols = [
        (
            "Почти без разходи",
            GREEN_LIGHT,
            GREEN,
            ["дарени материали, хартия, конци", "настолни игри", "стари уреди за разглобяване"],
            "ръкоделие, клуб по игри, „кафе за поправки“",
        ),
        (
            "Малък бюджет",
            BRAND_LIGHT,
            BRAND,
            ["шевна машина, ламинатор", "комплекти за роботика", "няколко таблета"],
            "програмиране за деца, снимки с телефон, шиене",
        ),
        (
            "Проектно финансиране",
            ACCENT_LIGHT,
            ACCENT,
            ["3D принтер", "плотер за рязане", "оборудване за звукозапис"],
            "прототипи, подкаст, студио за местни музиканти",
        ),
    ]
    margin, gap, w = 50, 40, 440
    bottom = 680
    for i, (name, fill, outline, things, acts) in enumerate(cols):
        x0 = margin + i * (w + gap)
        top = 250 - i * 75
        fig.draw.rounded_rectangle(
            (x0, top, x0 + w, bottom), radius=16, fill=fill, outline=outline, width=3
        )
        fig.draw.rounded_rectangle(
            (x0, top, x0 + w, top + 70), radius=16, fill=outline, outline=outline
        )
        fig.text_center((x0 + w // 2, top + 35), f"{i + 1}. {name}", font(26, bold=True), WHITE)
        y = fig.text_left((x0 + 22, top + 92), "Оборудване:", font(22, bold=True), outline)
        for t in things:
            y = fig.text_left((x0 + 22, y + 4), "• " + t, font(22), INK, w - 44)
        y = fig.text_left((x0 + 22, y + 22), "Дейности:", font(22, bold=True), outline)
        fig.text_left((x0 + 22, y + 4), acts, font(22), INK, w - 44)
    fig.arrow((margin, 730), (margin + 3 * w + 2 * gap, 730), fill=MUTED, width=4)
    fig.text_center(
        (750, 775),
        "всяко следващо ниво изисква по-голям бюджет и повече подготовка",
        font(22),
        MUTED,
    )
    fig.save(MODULE, "tri-niva-tvorcheski.png")


def groups() -> None:
    """Need, example service and partner for five groups."""
    fig = Figure(1560, 960, "Услуги за уязвими групи: нужда, услуга, партньор")
    rows = [
        (
            "Възрастни хора",
            "общуване, достъп до книги, дигитална помощ",
            "книги по домовете, едър шрифт, клуб на спомените",
            "клуб на пенсионера, социален патронаж",
        ),
        (
            "Хора с увреждания",
            "достъпна среда и формати",
            "рампа, аудиокниги, текстове, лесни за четене",
            "организации на хората с увреждания",
        ),
        (
            "Ромски общности",
            "доверие, четене, подкрепа за децата",
            "четене в квартала, помощ с домашните",
            "здравни и образователни медиатори",
        ),
        (
            "Бежанци",
            "език, информация, среща с местните",
            "разговорен клуб по български, книги на родния език",
            "организации за подкрепа, училища",
        ),
        (
            "Безработни",
            "техника, умения, увереност",
            "автобиография, обяви онлайн, клуб за търсещи работа",
            "бюро по труда",
        ),
    ]
    heads = ["Група", "Основна нужда", "Примерна услуга", "Местен партньор"]
    xs = [40, 340, 750, 1160, 1520]
    top, head_h, row_h = 100, 60, 146
    for j, head in enumerate(heads):
        fig.draw.rectangle((xs[j], top, xs[j + 1] - 8, top + head_h), fill=BRAND)
        fig.text_center(
            ((xs[j] + xs[j + 1] - 8) // 2, top + head_h // 2), head, font(24, bold=True), WHITE
        )
    for i, row in enumerate(rows):
        y0 = top + head_h + 10 + i * (row_h + 10)
        for j, cell in enumerate(row):
            fill = ACCENT_LIGHT if j == 0 else (BRAND_LIGHT if i % 2 == 0 else WHITE)
            outline = ACCENT if j == 0 else LINE
            fig.draw.rounded_rectangle(
                (xs[j], y0, xs[j + 1] - 8, y0 + row_h),
                radius=10,
                fill=fill,
                outline=outline,
                width=2,
            )
            fnt = font(24, bold=True) if j == 0 else font(22)
            fig.text_center(
                ((xs[j] + xs[j + 1] - 8) // 2, y0 + row_h // 2),
                cell,
                fnt,
                INK,
                xs[j + 1] - xs[j] - 40,
            )
    fig.save(MODULE, "uyazvimi-grupi.png")


def consultation() -> None:
    """Six steps of a consultation on an e-government service, in two rows."""
    fig = Figure(1500, 670, "Консултация за електронна услуга: шест стъпки")
    steps = [
        ("1. Изслушване", "Какво точно иска да направи човекът?"),
        ("2. Проверка", "Има ли средство за идентификация и документи?"),
        ("3. Официален източник", "Само сайтът на институцията"),
        ("4. Действа потребителят", "Той въвежда данните, служителят обяснява"),
        ("5. Безопасен край", "Изход от профилите, изтриване на файловете"),
        ("6. Насочване", "Към кого да се обърне, ако нещо не стане"),
    ]
    w, h, gap = 420, 170, 60
    x_start = (1500 - 3 * w - 2 * gap) // 2
    rows_y = [120, 400]
    rects = []
    for i in range(6):
        r, c = divmod(i, 3)
        if r == 1:
            c = 2 - c  # the second row runs right to left, like a snake
        x0 = x_start + c * (w + gap)
        rects.append((x0, rows_y[r], x0 + w, rows_y[r] + h))
    for i, (rect, (head, body)) in enumerate(zip(rects, steps, strict=True)):
        fill, outline = (GREEN_LIGHT, GREEN) if i == 3 else (BRAND_LIGHT, BRAND)
        card(fig, rect, head, body, fill, outline)
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
    fig.text_center(
        (750, 630),
        "Служителят обяснява и насочва; паролите и кодовете остават у потребителя.",
        font(22),
        MUTED,
    )
    fig.save(MODULE, "e-uslugi-konsultaciya.png")


def partners() -> None:
    """The library in the centre with its partners and a joint activity for each."""
    fig = Figure(1560, 1070, "Партньорите на общинската библиотека")
    cx, cy = 780, 585
    items = [
        ("Училища и детски градини", "лятно четене, часове в библиотеката"),
        ("Община", "точка за електронни услуги, обществени обсъждания"),
        ("Читалища", "съвместни школи и работилници"),
        ("Граждански организации", "услуги за уязвими групи, общи проекти"),
        ("Местен бизнес", "дарения, експерти, материали"),
        ("Местни медии", "истории и покани за събития"),
        ("Институции", "бюро по труда, социални служби, музей"),
    ]
    w, h = 400, 165
    rx, ry = 570, 385
    pts = []
    for i in range(len(items)):
        a = -math.pi / 2 + 2 * math.pi * i / len(items)
        pts.append((cx + rx * math.cos(a), cy + ry * math.sin(a)))
    for px, py in pts:
        fig.draw.line(((cx, cy), (px, py)), fill=LINE, width=4)
    fig.draw.ellipse((cx - 170, cy - 95, cx + 170, cy + 95), fill=ACCENT, outline=ACCENT)
    fig.text_center((cx, cy), "Общинска\nбиблиотека", font(30, bold=True), WHITE)
    for (head, body), (px, py) in zip(items, pts, strict=True):
        rect = (int(px - w / 2), int(py - h / 2), int(px + w / 2), int(py + h / 2))
        card(fig, rect, head, body, BRAND_LIGHT, BRAND)
    fig.save(MODULE, "partnyori.png")


if __name__ == "__main__":
    digcomp()
    levels()
    groups()
    consultation()
    partners()
