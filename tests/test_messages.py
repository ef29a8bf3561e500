"""Every message of the tool exists in English and Bulgarian (packager/messages.py): each
tr()/trn() text of the code has a translation in packager/locale/bg/*.po with the same
placeholders, no translation is left without its message, and diagnostics are never written
as bare strings that would escape translation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from packager import messages
from packager.messages import language_from_env, placeholders, read_po, set_language, tr, trn

PACKAGE = Path(messages.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
REPORTERS = {"error": 2, "warning": 2, "notice": 1}  # method -> position of the message


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # "a" "b" split by +
        left, right = _text(node.left), _text(node.right)
        return None if left is None or right is None else left + right
    return None


def used() -> dict[messages.Key, str]:
    """Every message the code wraps: key -> where."""
    out: dict[messages.Key, str] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            if node.func.id in ("tr", "N_") and node.args:
                text = _text(node.args[0])
                assert text is not None or node.func.id == "tr", f"{where}: N_() needs a literal"
                if text is not None:  # else tr(name): a text marked with N_() where it is written
                    out[text] = where
            elif node.func.id == "trn" and len(node.args) >= 2:
                one, many = _text(node.args[0]), _text(node.args[1])
                assert one is not None and many is not None, f"{where}: trn() needs literals"
                out[(one, many)] = where
    return out


def bare_messages() -> list[str]:
    """Diagnostics whose message is a literal or an f-string instead of tr(…)."""
    found = []
    for path in SOURCES:
        if path.name == "messages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                notice = node.func.id == "Notice" and len(node.args) > 2  # the Moodle target's
                if notice and any(_bare(n) for n in _top(node.args[2])):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
                continue
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            at = REPORTERS.get(node.func.attr)
            if at is None:
                continue
            args = list(node.args)
            if node.func.attr != "notice" and len(args) == 2:
                at = 1  # Fields.error(node, message)
            message = next((k.value for k in node.keywords if k.arg == "message"), None)
            if message is None and len(args) > at:
                message = args[at]
            if message is not None and any(_bare(n) for n in _top(message)):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def _bare(node: ast.AST) -> bool:
    """A literal or an f-string: a text that escapes translation."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _top(node: ast.AST) -> list[ast.AST]:
    """The parts of a message joined with + (not inside calls)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _top(node.left) + _top(node.right)
    return [node]


def test_every_message_has_a_bulgarian_translation():
    translated = messages.catalogue("bg")
    missing = [f"{where}: {key!r}" for key, where in used().items() if key not in translated]
    assert not missing, "\n".join(missing)


def test_every_translation_belongs_to_a_message():
    code = used()
    stale = [repr(key) for key in messages.catalogue("bg") if key not in code]
    assert not stale, "\n".join(stale)


def test_each_message_is_translated_in_one_catalogue_only():
    """The catalogues of a language are merged: a message in two of them could be translated
    two ways, and which one is shown would depend on the files' order."""
    seen: dict[object, str] = {}
    twice = []
    for path in sorted((messages.LOCALE / "bg").glob("*.po")):
        for key, _value, line in read_po(path.read_text("utf-8")):
            if key in seen:
                twice.append(f"{path.name}:{line}: {key!r} (also in {seen[key]})")
            seen[key] = f"{path.name}:{line}"
    assert not twice, "\n".join(twice)


def test_translations_keep_the_placeholders():
    wrong = []
    for key, value in messages.catalogue("bg").items():
        if isinstance(key, tuple):
            expected = placeholders(key[0]) | placeholders(key[1])
            for form in value:
                if placeholders(form) - expected - {"n"}:
                    wrong.append(f"{key!r} -> {form!r}")
        elif placeholders(key) != placeholders(value):  # type: ignore[arg-type]
            wrong.append(f"{key!r} -> {value!r}")
    assert not wrong, "\n".join(wrong)


def test_diagnostics_are_always_translated():
    found = bare_messages()
    assert not found, "diagnostics written as bare strings: " + ", ".join(found)


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "bg_BG.UTF-8"}, "bg"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "bg:en", "LANG": "en_US.UTF-8"}, "bg"),
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "bg_BG.UTF-8"}, "en"),
        ({"LC_MESSAGES": "bg_BG", "LANG": "C"}, "bg"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
        ({"PACKAGER_LANG": "bg", "LANG": "en_US.UTF-8"}, "bg"),
        ({"PACKAGER_LANG": "en", "LANG": "bg_BG.UTF-8"}, "en"),
        ({"PACKAGER_LANG": "fr", "LANG": "bg_BG.UTF-8"}, "bg"),
    ],
)
def test_the_language_comes_from_the_locale(env, lang):
    assert language_from_env(env) == lang


def test_po_reader_and_plural_forms():
    text = (
        'msgid ""\nmsgstr ""\n"Language: bg\\n"\n\n'
        '# a comment\nmsgid "the quiz has {n} question"\n'
        'msgid_plural "the quiz has {n} questions"\n'
        'msgstr[0] "тестът има {n} въпрос"\nmsgstr[1] "тестът има "\n"{n} въпроса"\n\n'
        'msgid "a \\"quoted\\" word"\nmsgstr "дума в „кавички“"\n\nmsgid "untranslated"\nmsgstr ""\n'
    )
    entries = {key: value for key, value, _line in read_po(text)}
    assert entries == {
        ("the quiz has {n} question", "the quiz has {n} questions"): (
            "тестът има {n} въпрос",
            "тестът има {n} въпроса",
        ),
        'a "quoted" word': "дума в „кавички“",
    }
    with pytest.raises(ValueError, match="line 2"):
        read_po('msgid "a"\nnonsense\n')


def test_tr_and_trn_switch_language(monkeypatch):
    monkeypatch.setitem(
        messages.catalogue("bg"),
        ("{n} module", "{n} modules"),
        ("{n} модул", "{n} модула"),
    )
    monkeypatch.setitem(messages.catalogue("bg"), "ok: {what}", "готово: {what}")
    try:
        set_language("bg")
        assert trn("{n} module", "{n} modules", 1) == "1 модул"
        assert trn("{n} module", "{n} modules", 5) == "5 модула"
        assert tr("ok: {what}", what="курс") == "готово: курс"
        set_language("en")
        assert trn("{n} module", "{n} modules", 1) == "1 module"
        assert trn("{n} module", "{n} modules", 0) == "0 modules"
    finally:
        set_language("en")
