"""The keys of every source file, declared once.

Each kind of source — the course file, the front matter of a module, a lesson and a quiz, and
the ``{key=value}`` settings of a question heading — lists its keys here: the type of value,
the default, the allowed values or range, whether the key is required, and what it means in
English (for the JSON Schemas) and in Bulgarian (for the docs).

From this declaration:

- the loader and the quiz reader take the keys they know (``COURSE.names()`` …), the item
  types and the words of ``feedback``;
- ``tools/schemas.py`` writes ``schemas/*.schema.json`` and the key tables between
  ``<!-- keys:… -->`` markers in docs/authoring.md and docs/assessments.md;
- tests/test_schemas.py checks that the generated files are up to date and that the loader
  reads every key as declared (defaults, ranges, required keys, allowed values).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum


class Type(Enum):
    """What a key's value is, as the loader reads it."""

    TEXT = "text"  # any scalar, read as the text written ("no" and "1.10" stay text)
    MARKDOWN = "markdown"  # text rendered as Markdown
    ID = "id"  # an identifier: parts separated by "/" (see packager/names.py)
    NAME = "name"  # one part of an identifier (short_name)
    VERSION = "version"  # one part of an identifier that may also hold "+"
    INT = "int"  # a whole number
    NUMBER = "number"  # a number, with an optional decimal point
    BOOL = "bool"  # true/false, yes/no, on/off, да/не
    DATE = "date"  # YYYY-MM-DD
    CHOICE = "choice"  # one of the words of ``choices``
    LIST = "list"  # a list of texts; a single text counts as a list of one
    SECTION = "section"  # a mapping with keys of its own
    DRAW = "draw"  # a whole number, or a mapping of tags to whole numbers
    WEIGHTS = "weights"  # a mapping of texts to numbers, in order
    # read by the command line, not the loader (packager/settings.py); the names and values
    # come from the target registry, which tools/schemas.py puts into the JSON Schema
    TARGETS = "targets"  # a list of target names; a single name counts as a list of one
    OPTIONS = "options"  # target options: a mapping of option keys to values, as with -O


@dataclass(frozen=True)
class Choice:
    """One allowed value of a CHOICE key, the other words that mean it, and its meaning."""

    value: str
    aliases: tuple[str, ...] = ()
    en: str = ""
    bg: str = ""

    @property
    def words(self) -> tuple[str, ...]:
        return (self.value, *self.aliases)


@dataclass(frozen=True)
class Key:
    name: str
    type: Type
    en: str  # what the key means, in English (JSON Schema descriptions)
    bg: str  # the same in Bulgarian (docs)
    required: bool = False
    default: object = None  # the value when the key is absent; None: see default_en/_bg
    default_en: str = ""  # a default that is not a value ("the first # heading"), in words
    default_bg: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Choice, ...] = ()
    pattern: str = ""  # a regular expression a text (each text of a list) must match
    unique: bool = False  # a list whose entries must differ
    keys: tuple[Key, ...] = ()  # the keys of a SECTION
    value_en: str = ""  # what the docs say the value is, when the type does not say it
    value_bg: str = ""

    def names(self) -> tuple[str, ...]:
        """The keys of a SECTION."""
        return tuple(k.name for k in self.keys)

    def words(self) -> tuple[str, ...]:
        """Every word a CHOICE accepts, in the order the loader lists them."""
        return tuple(w for c in self.choices for w in c.words)


@dataclass(frozen=True)
class Source:
    """One kind of source: the keys it may hold."""

    name: str  # names the schema file (<name>.schema.json) and the docs markers
    title: str  # English: what the keys are written in
    keys: tuple[Key, ...]

    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def __getitem__(self, name: str) -> Key:
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError(name)


DEFAULT_DATE = dt.date(2000, 1, 1)  # the course's date when course.yml gives none

# ---------------------------------------------------------------------------------------------
# keys more than one kind shares

_ID_EN = "Permanent identifier: keep it when the file or folder is renamed"
_ID_BG = "постоянен идентификатор; запазете го, когато преименувате файла или папката"


def _item_id(default_en: str, default_bg: str) -> Key:
    return Key("id", Type.ID, _ID_EN, _ID_BG, default_en=default_en, default_bg=default_bg)


_ITEM_ID = _item_id("`<module id>/<file name without .md>`", "`<модул>/<име на файла без .md>`")


def _minutes(en: str, bg: str) -> Key:
    return Key("minutes", Type.INT, en, bg, minimum=1)


_AUDIENCE = (
    Choice("learners", ("учащи",), "everyone enrolled", "всички записани"),
    Choice(
        "trainers",
        ("обучители",),
        "trainers only: hidden from learners in Moodle, left out of SCORM, "
        "a part of its own in the site",
        "само за обучители: скрито от учащите в Moodle, пропуснато в SCORM, отделна част в сайта",
    ),
)


def _audience(default_en: str, default_bg: str) -> Key:
    return Key(
        "audience",
        Type.CHOICE,
        "Who it is for",
        "за кого е",
        choices=_AUDIENCE,
        default_en=default_en,
        default_bg=default_bg,
    )


_ITEM_AUDIENCE = ("the module's audience", "аудиторията на модула")


def _type(kind: str, en: str, bg: str) -> Key:
    """The "type" key that makes a file a quiz, an assignment or a forum."""
    return Key("type", Type.CHOICE, en, bg, required=True, choices=(Choice(kind),))


def _title(en: str, bg: str) -> Key:
    return Key(
        "title",
        Type.TEXT,
        en,
        bg,
        default_en="the first `# …` heading of the text",
        default_bg="първото заглавие `# …` от текста",
    )


# ---------------------------------------------------------------------------------------------
# the course file

COURSE = Source(
    "course",
    "course.yml: the course file at the root of a course folder",
    (
        Key("title", Type.TEXT, "Full title of the course", "пълното заглавие на курса", True),
        Key(
            "short_name",
            Type.NAME,
            "Short name: names the package files (dist/<short_name>-<version>-scorm12.zip) "
            "and is the course's short name in an LMS",
            "кратко име: от него са имената на пакетите "
            "(`dist/<short_name>-<version>-scorm12.zip`) и краткото име на курса в Moodle",
            True,
        ),
        Key(
            "language",
            Type.TEXT,
            "Two-letter language code; learner-facing strings are in Bulgarian (bg) "
            "or English (en)",
            "двубуквен код на езика; определя езика на бутоните и съобщенията за обучаемите "
            "(`bg` или `en`)",
            default="bg",
            pattern="^[a-z]{2}$",
            value_en="two small Latin letters",
            value_bg="две малки латински букви",
        ),
        Key(
            "version",
            Type.VERSION,
            "Version of the course; part of the package file names",
            "версия на курса; част от имената на пакетите",
            default="1.0",
        ),
        Key(
            "date",
            Type.DATE,
            "Release date: the date of every file inside the packages, so that two builds "
            "of the same sources are identical byte for byte",
            "дата на изданието; с нея се датират файловете в пакетите, за да бъдат два пакета "
            "от едни и същи източници еднакви байт по байт",
            default=DEFAULT_DATE,
        ),
        Key(
            "start_date",
            Type.DATE,
            "Start date of the course in an LMS",
            "начална дата на курса в Moodle",
            default_en="`date`",
            default_bg="`date`",
        ),
        Key("authors", Type.LIST, "Authors of the course", "авторите на курса"),
        Key("license", Type.TEXT, "License of the content", "лиценз на съдържанието", default=""),
        Key(
            "keywords",
            Type.LIST,
            "Keywords for the metadata of the packages",
            "ключови думи за метаданните на пакетите",
        ),
        Key("summary", Type.MARKDOWN, "Description of the course", "описание на курса", default=""),
        Key(
            "completion",
            Type.SECTION,
            "When the course is complete",
            "кога курсът е завършен",
            keys=(
                Key(
                    "lessons_required",
                    Type.BOOL,
                    "Every lesson must be read",
                    "всички уроци трябва да са прочетени",
                    default=True,
                ),
                Key(
                    "quizzes_required",
                    Type.BOOL,
                    "Every quiz must be passed",
                    "всички тестове трябва да са издържани",
                    default=True,
                ),
                Key(
                    "assignments_required",
                    Type.BOOL,
                    "Every assignment must be handed in",
                    "всички задания трябва да са предадени",
                    default=True,
                ),
                Key(
                    "forums_required",
                    Type.BOOL,
                    "Every forum must have the learner's posts",
                    "във всеки форум учащият трябва да е публикувал",
                    default=False,
                ),
                Key(
                    "pass_percentage",
                    Type.NUMBER,
                    "Pass mark of the quizzes, in percent, unless a quiz sets its own",
                    "праг за успех на тестовете в проценти, ако тестът не задава свой",
                    default=70.0,
                    minimum=0,
                    maximum=100,
                ),
            ),
        ),
        Key(
            "images",
            Type.SECTION,
            "How images are prepared",
            "обработка на изображенията",
            keys=(
                Key(
                    "max_width",
                    Type.INT,
                    "Wider images are scaled down to this width, in pixels",
                    "по-широките изображения се смаляват до тази ширина в пиксели",
                    default=1600,
                    minimum=16,
                ),
            ),
        ),
        Key(
            "iframe_hosts",
            Type.LIST,
            "Hosts whose https pages lessons may embed in an <iframe> (a video, for example)",
            "сайтове, от които уроците могат да вграждат `<iframe>` (например видео)",
        ),
        Key(
            "typography",
            Type.BOOL,
            "Bulgarian typography in texts (language bg): non-breaking spaces after one-letter "
            "words, before dashes, after numbers and initials; „…“ quotes",
            "българска типография в текстовете (при език bg): непрекъсваеми интервали след "
            "еднобуквени думи, пред тирета, след числа и инициали; кавички „…“",
            default=True,
        ),
        Key(
            "build",
            Type.SECTION,
            "Settings of packager build, release and serve; the command line wins over them",
            "настройки на `packager build`, `release` и `serve`; тези от командния ред имат "
            "предимство",
            keys=(
                Key(
                    "targets",
                    Type.TARGETS,
                    "The targets packager build builds when no -t is given",
                    "целите, които `packager build` изгражда, когато не е дадено `-t`",
                    default_en="every target",
                    default_bg="всички цели",
                ),
                Key(
                    "output",
                    Type.TEXT,
                    "Folder for the packages, relative to the folder of course.yml (as MkDocs "
                    "reads site_dir); -o, relative to where the command runs, wins",
                    "папка за пакетите, спрямо папката на `course.yml`; `-o` (спрямо папката, "
                    "в която се изпълнява командата) има предимство",
                    default_en="`../dist`: dist beside the course folder",
                    default_bg="`../dist`: папка `dist` до папката на курса",
                ),
                Key(
                    "options",
                    Type.OPTIONS,
                    "Target options, as -O key=value gives them (see packager targets); "
                    "an -O for the same key wins",
                    "настройки на целите, както ги дава `-O ключ=стойност` (вижте "
                    "`packager targets`); `-O` за същия ключ има предимство",
                    default_en="each option's default",
                    default_bg="стойността по подразбиране на всяка настройка",
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# front matter

MODULE = Source(
    "module",
    "Front matter of a module.md",
    (
        Key("title", Type.TEXT, "Title of the module", "заглавие на модула", True),
        Key(
            "order",
            Type.INT,
            "Position of the module in the course; required when the folder name does not "
            "start with a number",
            "пореден номер на модула; задължителен, ако името на папката не започва с число",
            default_en="the number the folder name starts with",
            default_bg="числото в началото на името на папката",
        ),
        Key(
            "lessons",
            Type.LIST,
            "Lessons and quizzes of the module (.md files of its folder), in order",
            "уроците и тестовете на модула (файлове `.md` от папката му) в реда, "
            "в който се показват",
            default_en="every `.md` file of the folder, in alphabetical order",
            default_bg="всички файлове `.md` от папката по азбучен ред",
            pattern=r"\.md$",
            unique=True,
            value_en="list of file names",
            value_bg="списък с имена на файлове",
        ),
        _item_id("the folder name", "името на папката"),
        _audience("`learners`", "`learners`"),
    ),
)

LESSON = Source(
    "lesson",
    "Front matter of a lesson",
    (
        _title("Title of the lesson", "заглавие на урока"),
        _minutes("Approximate time for the lesson, in minutes", "приблизително време в минути"),
        Key(
            "objectives",
            Type.LIST,
            "Learning objectives (Markdown), shown at the start of the lesson",
            "учебни цели (Markdown); показват се в началото на урока",
        ),
        _ITEM_ID,
        Key(
            "type",
            Type.CHOICE,
            "lesson; quiz, assignment and forum make the file one of those (see their schemas)",
            "`quiz` прави файла тест (вижте [docs/assessments.md](assessments.md)), "
            "`assignment` – задание, `forum` – форум",
            default="lesson",
            choices=(Choice("lesson"),),
            value_en="`lesson`, `quiz`, `assignment` or `forum`",
            value_bg="`lesson`, `quiz`, `assignment` или `forum`",
        ),
        _audience(*_ITEM_AUDIENCE),
    ),
)

_FEEDBACK = (
    Choice(
        "immediate",
        ("веднага",),
        "after Check on each question",
        "след „Провери“ на всеки въпрос",
    ),
    Choice("after_attempt", ("след-опита",), "once the attempt is submitted", "след предаване"),
    Choice("never", ("никога",), "the score only", "само резултатът"),
)

_SHOW_ANSWERS = (
    Choice(
        "after_last_attempt",
        ("след-последния-опит",),
        "after the last allowed attempt (with unlimited attempts: after an attempt that passed)",
        "след последния разрешен опит (при неограничени опити – след успешен опит)",
    ),
    Choice("after_pass", ("след-успех",), "after an attempt that passed", "след успешен опит"),
    Choice("always", ("винаги",), "after every attempt", "след всеки опит"),
    Choice("never", ("никога",), "never", "никога"),
)

QUIZ = Source(
    "quiz",
    "Front matter of a quiz",
    (
        _type("quiz", "The file is a quiz", "файлът е тест"),
        _title("Title of the quiz", "заглавие на теста"),
        Key(
            "pass_percentage",
            Type.NUMBER,
            "Percentage of the points needed to pass",
            "процент от точките, нужен за успешно издържан тест",
            default_en="`completion.pass_percentage` of `course.yml` (70)",
            default_bg="`completion.pass_percentage` от `course.yml` (70)",
            minimum=0,
            maximum=100,
        ),
        Key(
            "attempts",
            Type.INT,
            "Number of attempts; 0: unlimited",
            "брой опити; `0` – без ограничение",
            default=0,
            minimum=0,
        ),
        Key(
            "time_limit",
            Type.INT,
            "Time limit in minutes; 0: none",
            "време в минути; `0` – без ограничение",
            default=0,
            minimum=0,
        ),
        Key(
            "shuffle_answers",
            Type.BOOL,
            "Shuffle the answers of each question",
            "разбъркване на отговорите",
            default=True,
        ),
        Key(
            "draw",
            Type.DRAW,
            "Questions drawn at random for each attempt: a number (from all of the quiz), or "
            "a pool per tag with its number (`модул 1: 3`), each graded question in one pool; "
            "the questions of a pool must be worth the same points",
            "колко въпроса да се изтеглят случайно при всеки опит: число (от всички въпроси) "
            "или по колко от всеки етикет (`модул 1: 3`), като всеки оценяван въпрос има точно "
            "един от етикетите; въпросите от един етикет трябва да носят еднакъв брой точки",
            default_en="all",
            default_bg="всички",
            minimum=1,
        ),
        Key(
            "feedback",
            Type.CHOICE,
            "When feedback is shown",
            "кога се показва обратната връзка",
            default="immediate",
            choices=_FEEDBACK,
        ),
        Key(
            "show_answers",
            Type.CHOICE,
            "When the right answers are shown after an attempt (in the site, SCORM and the "
            "Moodle quiz's review options; Moodle knows neither passing nor the last attempt, "
            "so there the first two show them only after the quiz closes)",
            "кога след опит се показват верните отговори (в сайта, SCORM и настройките за "
            "преглед на теста в Moodle; Moodle не различава успешен и последен опит, затова "
            "там първите две стойности ги показват едва след затваряне на теста)",
            default="after_last_attempt",
            choices=_SHOW_ANSWERS,
        ),
        Key(
            "gift",
            Type.LIST,
            "GIFT files next to the quiz whose questions are added to it",
            "файлове GIFT до теста, чиито въпроси се добавят към него",
            value_en="list of file names",
            value_bg="списък с имена на файлове",
        ),
        _minutes("Approximate time for the quiz, in minutes", "приблизително време в минути"),
        _ITEM_ID,
        _audience(*_ITEM_AUDIENCE),
    ),
)

_SUBMISSION = (
    Choice("text", ("текст",), "typed online", "въведен текст"),
    Choice("file", ("файл",), "uploaded files", "качени файлове"),
)

ASSIGNMENT = Source(
    "assignment",
    "Front matter of an assignment",
    (
        _type(
            "assignment",
            "The file is an assignment: a task handed in and graded by a trainer",
            "файлът е задание, което се предава и се оценява от обучител",
        ),
        _title("Title of the assignment", "заглавие на заданието"),
        Key(
            "points",
            Type.NUMBER,
            "Points of the assignment",
            "точки за заданието",
            default_en="the sum of `criteria`, or 10",
            default_bg="сборът от `criteria` или 10",
            minimum=1,
        ),
        Key(
            "pass_points",
            Type.NUMBER,
            "Points needed to pass",
            "точки, нужни за успешно изпълнение",
            default_en="none",
            default_bg="няма",
            minimum=0,
        ),
        Key(
            "submission",
            Type.LIST,
            "What the learner hands in: `text` (typed online) and/or `file` (uploaded)",
            "какво се предава: `text` (въведен текст) и/или `file` (качени файлове)",
            choices=_SUBMISSION,
            default_en="`[text, file]`",
            default_bg="`[text, file]`",
            unique=True,
        ),
        Key(
            "criteria",
            Type.WEIGHTS,
            "How the trainer grades: each criterion with its points, in order; "
            "they add up to `points`",
            "по какво оценява обучителят: всеки критерий с точките му, по ред; "
            "сборът им е равен на `points`",
            value_en="mapping of criterion → points",
            value_bg="критерий: точки",
        ),
        _minutes("Approximate time for the task, in minutes", "приблизително време в минути"),
        _ITEM_ID,
        _audience(*_ITEM_AUDIENCE),
    ),
)

FORUM = Source(
    "forum",
    "Front matter of a forum",
    (
        _type(
            "forum",
            "The file is a forum: the text is the prompt of a discussion",
            "файлът е форум: текстът е поканата за обсъждане",
        ),
        _title("Title of the forum", "заглавие на форума"),
        _minutes("Approximate time for taking part, in minutes", "приблизително време в минути"),
        _ITEM_ID,
        _audience(*_ITEM_AUDIENCE),
    ),
)

# ---------------------------------------------------------------------------------------------
# the settings of a question: {#id key=value …} at the end of its ## heading

_QUESTION_TYPES = (
    Choice("single", ("един", "един-отговор"), "one right answer", "един верен отговор"),
    Choice("multiple", ("няколко", "няколко-отговора"), "several right answers", "няколко верни"),
    Choice("truefalse", ("true-false", "вярно-невярно"), "true or false", "вярно или невярно"),
    Choice("short", ("кратък", "кратък-отговор"), "short answer", "кратък отговор"),
    Choice("numerical", ("number", "число"), "a number", "число"),
    Choice("matching", ("съпоставяне",), "matching", "съпоставяне"),
    Choice("ordering", ("подреждане",), "ordering", "подреждане"),
    Choice("essay", ("есе",), "essay", "есе"),
    Choice("cloze", ("попълване",), "blanks in the text", "попълване на празни места"),
    Choice("description", ("описание",), "text without an answer", "текст без отговор"),
)

QUESTION = Source(
    "question",
    "Settings of a question: {key=value …} at the end of its ## heading",
    (
        Key(
            "type",
            Type.CHOICE,
            "Type of the question (needed for ordering, essays and descriptions)",
            "вид на въпроса (нужен за подреждане, есе и описание)",
            default_en="from the answers",
            default_bg="според отговорите",
            choices=_QUESTION_TYPES,
        ),
        Key("points", Type.NUMBER, "Points", "точки", default=1.0, minimum=0),
        Key(
            "tags",
            Type.TEXT,
            "Tags, separated by commas",
            "етикети, разделени със запетая",
            value_en="text in quotes",
            value_bg="текст в кавички",
        ),
        Key(
            "shuffle",
            Type.BOOL,
            "Shuffle the answers of this question (choices and matching)",
            "разбъркване на отговорите на този въпрос (избор и съпоставяне)",
            default_en="`shuffle_answers` of the quiz",
            default_bg="`shuffle_answers` на теста",
        ),
        Key(
            "case_sensitive",
            Type.BOOL,
            "Short answer: capitals and small letters differ",
            "кратък отговор: главните и малките букви имат значение",
            default=False,
        ),
        Key(
            "unit",
            Type.TEXT,
            "Numerical: a unit the learner may type after the number (%, words); the answers "
            "are numbers without it",
            "число: мерна единица, която обучаемият може да напише след числото (`%`, `думи`); "
            "отговорите се пишат като числа без нея",
            value_en="a word or a symbol",
            value_bg="дума или знак",
        ),
        Key(
            "negative",
            Type.BOOL,
            "Several right answers: wrong answers take points away",
            "няколко верни отговора: грешните отговори отнемат точки",
            default=False,
        ),
        Key("min_words", Type.INT, "Essay: fewest words", "есе: най-малко думи", minimum=0),
        Key("max_words", Type.INT, "Essay: most words", "есе: най-много думи", minimum=0),
        Key(
            "lines",
            Type.INT,
            "Essay: height of the answer box, in lines",
            "есе: височина на полето за отговор в редове",
            default=10,
            minimum=0,
        ),
    ),
)

SOURCES = (COURSE, MODULE, LESSON, QUIZ, ASSIGNMENT, FORUM)  # the YAML ones: each has a schema
ITEMS = {"lesson": LESSON, "quiz": QUIZ, "assignment": ASSIGNMENT, "forum": FORUM}  # by "type"
ITEM_TYPES = tuple(ITEMS)
FEEDBACK_WORDS = {w: c.value for c in _FEEDBACK for w in c.words}  # word -> FeedbackTiming value
SHOW_ANSWERS_WORDS = {w: c.value for c in _SHOW_ANSWERS for w in c.words}  # word -> ShowAnswers
QUESTION_TYPES = {w: c.value for c in _QUESTION_TYPES for w in c.words}  # word -> type
AUDIENCE_WORDS = {w: c.value for c in _AUDIENCE for w in c.words}  # word -> Audience value
SUBMISSION_WORDS = {w: c.value for c in _SUBMISSION for w in c.words}  # word -> Submission value
