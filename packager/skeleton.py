"""``packager new``: a small, working course to start from.

The skeleton is in Bulgarian for a course in Bulgarian and in English for any other language;
it builds into every target without a warning (tests/test_new.py builds it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from .messages import tr
from .names import ID_PART_MAX, id_problem, normal_id, transliterate

COURSE_YML = {
    "bg": """\
# Описание на курса. Всички ключове са обяснени в docs/authoring.md.
title: {title}
short_name: {short_name}
language: {language}
version: 1.0.0
date: {date}
authors:
  - Име Фамилия
license: CC BY-SA 4.0
summary: |
  Кратко описание на курса: за кого е и какво ще научат обучаемите.
completion:
  pass_percentage: 70
# Настройки на packager build; -t, -o и -O от командния ред имат предимство.
# build:
#   targets: [site, scorm12]
#   output: ../dist
#   options:
#     scorm.sco: module
""",
    "en": """\
# The course file. Every key is explained in docs/authoring.md.
title: {title}
short_name: {short_name}
language: {language}
version: 1.0.0
date: {date}
authors:
  - First Last
license: CC BY-SA 4.0
summary: |
  A short description of the course: who it is for and what learners will learn.
completion:
  pass_percentage: 70
# Settings of packager build; -t, -o and -O on the command line win over them.
# build:
#   targets: [site, scorm12]
#   output: ../dist
#   options:
#     scorm.sco: module
""",
}

FILES = {
    "bg": {
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

## Кои файлове са част от курса?

- [x] Уроците
- [x] Тестовете
- [ ] Временните файлове на редактора

Обратна връзка: Курсът се състои от уроци и тестове.
""",
    },
    "en": {
        "01-introduction/module.md": """\
---
title: Introduction
order: 1
lessons:
  - 01-first-lesson.md
  - 02-quiz.md
---
A short description of the module.
""",
        "01-introduction/01-first-lesson.md": """\
---
title: First lesson
minutes: 15
objectives:
  - understand how the course is organised
  - be able to add a lesson of your own
---
## How the course is organised

Each module is a folder with a `module.md` file. Each lesson is a Markdown file.

![Diagram: the course is made of modules, and modules of lessons and quizzes](images/diagram.png)

The next step is [the quiz](02-quiz.md).
""",
        "01-introduction/02-quiz.md": """\
---
type: quiz
title: Check your knowledge
pass_percentage: 70
attempts: 3
---
Answer the questions.

## Where is a module described?

- (x) In the file `module.md`
  > Yes: its title and the order of its lessons are there.
- ( ) In the file `course.yml`
  > No: that file describes the whole course.

## Which files are part of the course?

- [x] The lessons
- [x] The quizzes
- [ ] The editor's temporary files

Feedback: A course is made of lessons and quizzes.
""",
    },
}
IMAGES = {"bg": "01-vavedenie/images/shema.png", "en": "01-introduction/images/diagram.png"}
TITLES = {"bg": "Моят курс", "en": "My course"}
SHORT_NAMES = {"bg": "kurs", "en": "course"}


def skeleton_language(language: str) -> str:
    """The language of the skeleton's texts: Bulgarian, else English."""
    return "bg" if language == "bg" else "en"


def default_title(language: str) -> str:
    return TITLES[skeleton_language(language)]


def short_name_for(title: str, language: str) -> str:
    """A short name made from the title: Latin letters (Bulgarian transliterated), digits
    and "-"."""
    slug = re.sub(r"[^a-z0-9]+", "-", transliterate(title).lower()).strip("-")
    slug = slug[:ID_PART_MAX].strip("-")
    return slug or SHORT_NAMES[skeleton_language(language)]


def language_problem(text: str) -> str | None:
    if re.fullmatch(r"[a-z]{2}", text):
        return None
    return tr(
        'the language must be a two-letter code such as "bg" or "en", not "{text}"', text=text
    )


def title_problem(text: str) -> str | None:
    return None if text.strip() else tr("the title is empty")


def short_name_problem(text: str) -> str | None:
    why = id_problem(normal_id(text), parts=False)
    return tr('"{text}" cannot be a short name: {why}', text=text, why=why) if why else None


def _scalar(text: str) -> str:
    """``text`` as a YAML value: as it is, or quoted where YAML needs it."""
    dumped = yaml.safe_dump({"v": text}, allow_unicode=True, width=10_000)
    return dumped.removeprefix("v: ").rstrip("\n")


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


def create_skeleton(
    root: Path,
    title: str | None = None,
    short_name: str | None = None,
    language: str = "bg",
    date: dt.date | None = None,
) -> None:
    """Write the skeleton into ``root`` (made if missing); ``date``: the course's date
    (default today)."""
    lang = skeleton_language(language)
    title = title or TITLES[lang]
    course = COURSE_YML[lang].format(
        title=_scalar(title),
        short_name=_scalar(short_name or short_name_for(title, language)),
        language=_scalar(language),
        date=(date or dt.date.today()).isoformat(),
    )
    for name, text in {"course.yml": course, **FILES[lang]}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    image = root / IMAGES[lang]
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(diagram())
