"""Figures for module 7, „Лидерство“.

python tools/figures/m07.py
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
    LINE,
    MUTED,
    Figure,
    font,
)

MODULE = "07-liderstvo"


def centered_lines(fig: Figure, x: int, width: int, top: int, text: str, fnt, fill: str) -> int:
    """Centre each wrapped line of text in a column from its top; returns the y below it."""
    y = top
    for line in fig.wrap(text, fnt, width):
        w = fig.draw.textlength(line, font=fnt)
        fig.draw.text((x + (width - w) / 2, y), line, font=fnt, fill=fill)
        y += fnt.getbbox(line or " ")[3] + 8
    return y


def transition() -> None:
    """Lesson 1: William Bridges' three phases of transition and what the leader does."""
    fig = Figure(1500, 600, "Трите фази на прехода")
    phases = [
        (
            "Край",
            "Разделят се със старото: навик, роля, увереност.",
            "Назовава загубата, показва уважение към миналото, казва какво остава.",
            ACCENT,
            ACCENT_LIGHT,
        ),
        (
            "Неутрална зона",
            "Старото го няма, новото още не работи. Несигурност и грешки.",
            "Дава краткосрочни цели, среща се по-често с екипа, приема грешките.",
            BRAND,
            BRAND_LIGHT,
        ),
        (
            "Ново начало",
            "Новото започва да се усеща като нормално.",
            "Отбелязва успехите, разказва историите, закрепва новите роли.",
            GREEN,
            GREEN_LIGHT,
        ),
    ]
    margin, gap = 40, 70
    width = (fig.width - 2 * margin - gap * 2) // 3
    top, bottom = 110, 490
    d = fig.draw
    for i, (name, people, leader, color, light) in enumerate(phases):
        x = margin + i * (width + gap)
        d.rounded_rectangle(
            (x, top, x + width, bottom), radius=16, fill=light, outline=color, width=3
        )
        d.rounded_rectangle((x, top, x + width, top + 70), radius=16, fill=color, outline=color)
        d.rectangle((x + 3, top + 50, x + width - 3, top + 70), fill=color)
        fig.text_center((x + width // 2, top + 36), name, font(26, bold=True), "#ffffff")
        y = top + 95
        fig.draw.text((x + 24, y), "Хората:", font=font(22, bold=True), fill=INK)
        y = fig.text_left((x + 24, y + 34), people, font(21), INK, max_width=width - 48)
        y += 24
        fig.draw.text((x + 24, y), "Лидерът:", font=font(22, bold=True), fill=color)
        fig.text_left((x + 24, y + 34), leader, font(21), INK, max_width=width - 48)
        if i:
            fig.arrow((x - gap + 8, (top + bottom) // 2), (x - 8, (top + bottom) // 2), head=20)
    fig.arrow((margin, 530), (fig.width - margin, 530), fill=LINE, width=3, head=18)
    fig.text_center(
        (fig.width // 2, 565), "време: седмици и месеци, различно за всеки човек", font(20), MUTED
    )
    fig.save(MODULE, "tri-fazi-na-prehoda.png")


def team_stages() -> None:
    """Lesson 2: Tuckman's stages of team development and what the leader does."""
    fig = Figure(1560, 560, "Етапи на развитие на екипа (Тъкман)")
    stages = [
        ("Формиране", "хората се опознават и чакат насоки", "ясна цел и роли"),
        ("Сблъсък", "различия и напрежение", "насочва спора към задачата"),
        ("Нормиране", "договарят се правила и роли", "записва договореностите"),
        ("Ефективна работа", "екипът работи самостоятелно", "делегира и развива"),
        ("Завършване", "временният екип приключва", "отбелязва резултатите"),
    ]
    margin, gap = 30, 44
    n = len(stages)
    width = (fig.width - 2 * margin - gap * (n - 1)) // n
    y, h = 120, 110
    colors = [BRAND_LIGHT, ACCENT_LIGHT, BRAND_LIGHT, GREEN_LIGHT, BRAND_LIGHT]
    outlines = [BRAND, ACCENT, BRAND, GREEN, BRAND]
    for i, (name, what, leader) in enumerate(stages):
        x = margin + i * (width + gap)
        fig.box((x, y, x + width, y + h), name, colors[i], outlines[i], font(23, bold=True))
        if i:
            fig.arrow((x - gap + 4, y + h // 2), (x - 4, y + h // 2))
        centered_lines(fig, x, width, y + h + 24, what, font(20), MUTED)
        fig.draw.line((x + 20, 372, x + width - 20, 372), fill=LINE, width=2)
        fig.text_center((x + width // 2, 400), "Лидерът:", font(20, bold=True), outlines[i])
        centered_lines(fig, x + 6, width - 12, 425, leader, font(21), INK)
    fig.text_center(
        (fig.width // 2, 525),
        "При нов човек или нова задача екипът може да се върне към по-ранен етап.",
        font(20),
        MUTED,
    )
    fig.save(MODULE, "etapi-na-ekipa.png")


def two_factors() -> None:
    """Lesson 3: Herzberg's two-factor model applied to a library."""
    fig = Figure(1400, 700, "Двуфакторният модел на Херцберг в библиотеката")
    d = fig.draw
    # motivators on top
    d.rounded_rectangle((40, 110, 1360, 370), radius=16, fill=GREEN_LIGHT, outline=GREEN, width=3)
    fig.text_left((70, 128), "Мотиватори — мотивират трайно", font(26, bold=True), GREEN)
    motivators = ["Постижения", "Признание", "Смислена работа", "Отговорност", "Развитие"]
    bw, gap = 232, 22
    for i, item in enumerate(motivators):
        x = 70 + i * (bw + gap)
        fig.box((x, 190, x + bw, 280), item, "#ffffff", GREEN, font(22, bold=True))
    fig.text_left(
        (70, 305),
        "Когато ги има, хората работят с желание. Зависят най-много от лидера.",
        font(21),
        INK,
    )
    # hygiene factors below
    d.rounded_rectangle((40, 420, 1360, 680), radius=16, fill=BRAND_LIGHT, outline=BRAND, width=3)
    fig.text_left((70, 438), "Хигиенни фактори — при липса демотивират", font(26, bold=True), BRAND)
    hygiene = [
        "Заплащане",
        "Условия на труд",
        "Работеща техника",
        "Ясни правила",
        "Отношения и сигурност",
    ]
    for i, item in enumerate(hygiene):
        x = 70 + i * (bw + gap)
        fig.box((x, 500, x + bw, 590), item, "#ffffff", BRAND, font(21))
    fig.text_left(
        (70, 615),
        "Грижата за тях премахва недоволството, но сама по себе си не мотивира.",
        font(21),
        INK,
    )
    fig.save(MODULE, "dva-faktora.png")


def change_algorithm() -> None:
    """Lesson 4: the algorithm of change as a cycle of six steps."""
    fig = Figure(1400, 940, "Алгоритъмът на промяната")
    steps = [
        "1. Учене от добра практика",
        "2. Пренасяне към местните условия",
        "3. Изпробване в малък мащаб",
        "4. Оценка с данни",
        "5. Споделяне с колеги и общината",
        "6. Обучаване на други",
    ]
    colors = [BRAND_LIGHT, BRAND_LIGHT, BRAND_LIGHT, BRAND_LIGHT, BRAND_LIGHT, GREEN_LIGHT]
    fig.cycle(steps, (700, 500), 340, box=(270, 116), colors=colors)
    fig.text_center(
        (700, 480),
        "Всяка обучена библиотека започва свой цикъл",
        font(23, bold=True),
        GREEN,
        max_width=360,
    )
    fig.text_center((700, 555), "и на свой ред става пример", font(21), MUTED, max_width=360)
    fig.save(MODULE, "algoritam-na-promyanata.png")


if __name__ == "__main__":
    transition()
    team_stages()
    two_factors()
    change_algorithm()
