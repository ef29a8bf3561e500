"""``packager new``: a small, working course to start from."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

FILES = {
    "course.yml": """\
# Описание на курса. Всички ключове са обяснени в docs/authoring.md.
title: Моят курс
short_name: moyat-kurs
language: bg
version: 1.0.0
date: 2026-01-01
authors:
  - Име Фамилия
license: CC BY-SA 4.0
summary: |
  Кратко описание на курса: за кого е и какво ще научат обучаемите.
completion:
  pass_percentage: 70
""",
    "01-vavedenie/module.md": """\
---
title: Въведение
order: 1
lessons:
  - 01-parvi-urok.md
  - 02-test.md
---
Кратко описание на модула.
""",
    "01-vavedenie/01-parvi-urok.md": """\
---
title: Първи урок
minutes: 15
objectives:
  - да разберете как е устроен курсът
  - да можете да добавите свой урок
---
## Как е устроен курсът

Всеки модул е папка с файл `module.md`. Всеки урок е файл с Markdown.

![Схема: курсът се състои от модули, а модулите – от уроци и тестове](images/shema.png)

Следващата стъпка е [тестът](02-test.md).
""",
    "01-vavedenie/02-test.md": """\
---
type: quiz
title: Проверка на знанията
pass_percentage: 70
attempts: 3
---
Отговорете на въпросите.

## Къде се описва модулът?

- (x) Във файла `module.md`
  > Да, там са заглавието и редът на уроците.
- ( ) Във файла `course.yml`
  > Не, там се описва целият курс.

## Кои файлове са част от курса? {points=2}

- [x] Уроците
- [x] Тестовете
- [ ] Временните файлове на редактора

Обратна връзка: Курсът се състои от уроци и тестове.
""",
}


def diagram() -> bytes:
    """A small illustrative diagram: course → modules → lessons."""
    image = Image.new("RGB", (480, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((180, 16, 300, 56), outline="#123c69", width=3)
    for i, x in enumerate((40, 200, 360)):
        draw.line((240, 56, x + 40, 110), fill="#123c69", width=2)
        draw.rectangle((x, 110, x + 80, 150), outline="#123c69", width=3, fill="#e8eef5")
        draw.ellipse((x + 30, 160, x + 50, 180), fill="#1e6b34" if i != 1 else "#b3541e")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def create_skeleton(root: Path) -> None:
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    image = root / "01-vavedenie/images/shema.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(diagram())
