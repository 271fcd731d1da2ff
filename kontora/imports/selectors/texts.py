"""The text clean-ups of an import's automatic processing (IMP-01, step 2): spaces, quotes in company names,
legal forms, and a person's full name split into surname, name and patronymic. Pure functions of a text."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[^\S\n]+")  # any run of spaces but a line break: NBSP, tabs, thin spaces
_ALL_SPACES = re.compile(r"\s+")

OPENING, CLOSING = "«„", "»“"
# Quotes a person may type around a name, straight or curly; which of them opens is told by what stands before
# it ( “ opens in English and closes in Russian), not by the character.
_AMBIGUOUS = '"“”‟″'
_QUOTES = frozenset(OPENING + CLOSING + _AMBIGUOUS)
_BEFORE_OPENING = " ([{/-" + OPENING
_NESTED_ONLY = re.compile(r"«„([^«»„“]*)“»")  # «„Ромашка“»: a name quoted twice over, as CSV escaping leaves it


def spaces_normalised(text: str, *, lines: bool = False) -> str:
    """Runs of spaces (NBSP, tabs) become one space and the ends are trimmed; a note (`lines`) keeps its line
    breaks, every line trimmed, empty lines dropped; any other text is one line."""
    if not lines:
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text  # most cells: every space but " " is unprintable, so there is nothing to change
        return _ALL_SPACES.sub(" ", text).strip()
    kept = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in kept if line)


def quotes_normalised(text: str) -> str:
    """Quotes around names as the clients' names are kept: «…» outside, „…“ inside («ООО "Фирма "Ромашка""» →
    ООО «Фирма „Ромашка“»). A text whose quotes do not pair is left as it is: which of them was meant cannot be
    told."""
    if not _QUOTES.intersection(text):
        return text
    out: list[str] = []
    depth = 0
    for char in text:
        if char not in _QUOTES:
            out.append(char)
            continue
        before = out[-1] if out else " "
        if char in OPENING:
            opening = True
        elif char in CLOSING and char != "“":
            opening = False
        else:
            opening = depth == 0 or before.isspace() or before in _BEFORE_OPENING
        if opening:
            if depth == 0 and before.isalnum():
                out.append(" ")  # ООО"Ромашка" → ООО «Ромашка»
            out.append(OPENING[min(depth, 1)])
            depth += 1
        else:
            if depth == 0:
                return text
            depth -= 1
            out.append(CLOSING[min(depth, 1)])
    if depth:
        return text
    return _NESTED_ONLY.sub(r"«\1»", "".join(out))


# Legal forms written out, and how a short name writes them (a short name made from a full one).
LEGAL_FORMS_SHORT = (
    ("общество с ограниченной ответственностью", "ООО"),
    ("закрытое акционерное общество", "ЗАО"),
    ("открытое акционерное общество", "ОАО"),
    ("публичное акционерное общество", "ПАО"),
    ("непубличное акционерное общество", "НАО"),
    ("акционерное общество", "АО"),
    ("индивидуальный предприниматель", "ИП"),
    ("автономная некоммерческая организация", "АНО"),
    ("федеральное государственное унитарное предприятие", "ФГУП"),
    ("государственное унитарное предприятие", "ГУП"),
    ("муниципальное унитарное предприятие", "МУП"),
    ("крестьянское фермерское хозяйство", "КФХ"),
    ("крестьянское (фермерское) хозяйство", "КФХ"),
    ("товарищество с ограниченной ответственностью", "ТОО"),
)


def short_name_of(full_name: str) -> str:
    """A short name made from a full one: its legal form written out becomes the abbreviation
    («Общество с ограниченной ответственностью «Ромашка»» → «ООО «Ромашка»»)."""
    folded = full_name.casefold().replace("ё", "е")
    for long, short in LEGAL_FORMS_SHORT:
        if folded.startswith(long) and (len(folded) == len(long) or not folded[len(long)].isalnum()):
            return f"{short}{full_name[len(long):]}"
    return full_name


# --- a person's full name ---

_INITIALS = re.compile(r"^(?:[A-Za-zА-Яа-яЁё]\.)+[A-Za-zА-Яа-яЁё]?\.?$|^[A-Za-zА-Яа-яЁё]$")
_INITIAL = re.compile(r"[A-Za-zА-Яа-яЁё]")
_PERSON = re.compile(r"^[A-Za-zА-Яа-яЁё.'’\- ]+$")
# Patronymics end so (Викторович, Викторовна, Ильинична); Turkic ones are a father's name and «оглы» or «кызы».
_PATRONYMIC = re.compile(r"(?:вич|вна|ична|инична)$", re.IGNORECASE)
PARTICLES = frozenset({"оглы", "кызы", "улы", "уулу", "гызы", "оглу"})


def word_capitalised(word: str) -> str:
    """A word of a name as it is written: «ГРИШИНА», «гришина» → «Гришина», each part of «римский-КОРСАКОВ»
    alike; a word typed in mixed case («МакДональд») is left as typed; «оглы» and «кызы» stay lower-case."""
    if word.casefold() in PARTICLES:
        return word.lower()
    return "-".join(
        part[:1].upper() + part[1:].lower() if part.isupper() or part.islower() else part
        for part in word.split("-")
    )


def _tokens(text: str) -> list[str]:
    """The name's words, initials one apiece: «Иванов И.И.» → ["Иванов", "И.", "И."]."""
    tokens: list[str] = []
    for word in text.replace(".", ". ").split():
        if _INITIALS.match(word):
            tokens += [f"{letter.upper()}." for letter in _INITIAL.findall(word)]
        else:
            tokens.append(word)
    return tokens


def person_split(text: str) -> tuple[str, str, str] | None:
    """(surname, name, patronymic) of a full name as Russian lists write it — surname first — with each word
    capitalised; initials before the surname («И.И. Иванов») and the order «Оксана Викторовна Гришина» are
    recognised. None when the text is no person's name (digits, brackets, more words than a name has)."""
    text = spaces_normalised(text)
    if not text:
        return ("", "", "")
    if not _PERSON.match(text):
        return None
    tokens = _tokens(text)
    initials = [token.endswith(".") and len(token) == 2 for token in tokens]
    words = [token for token, initial in zip(tokens, initials, strict=True) if not initial]
    if initials[0] and len(words) == 1:  # «И. И. Иванов»: the initials are the name and patronymic
        tokens = [words[0], *[token for token in tokens if token != words[0]]]
    elif len(tokens) == 3 and _PATRONYMIC.search(tokens[1]) and not _PATRONYMIC.search(tokens[2]) \
            and not _PATRONYMIC.search(tokens[0]):
        tokens = [tokens[2], tokens[0], tokens[1]]  # «Оксана Викторовна Гришина»
    tokens = [word_capitalised(token) for token in tokens]
    if len(tokens) > 3 and not any(token in PARTICLES for token in tokens[3:]):
        return None
    surname = tokens[0]
    name = tokens[1] if len(tokens) > 1 else ""
    patronymic = " ".join(tokens[2:])
    return surname, name, patronymic


def person_joined(surname: str, name: str, patronymic: str) -> str:
    """The full name as the contact's card keeps it: «Гришина Оксана Викторовна», «Иванов И. И.»."""
    return " ".join(part for part in (surname, name, patronymic) if part)
