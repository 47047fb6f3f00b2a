"""Instrument definition files: reading the YAML, checking it line by line, and the parsed Definition."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

QUESTION_TYPES = (
    "yes_no",
    "single_choice",
    "multiple_choice",
    "number",
    "count",
    "date",
    "text",
    "scale_1_10",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
NUMERIC_TYPES = ("number", "count")
REFUSED = "refused"
DOESNT_KNOW = "doesnt_know"
SPECIAL_ANSWERS = (REFUSED, DOESNT_KNOW)
DERIVED_OPERATIONS = ("sum", "max", "min")
LANGUAGES = ("fr", "en")
# Which kind of information an instrument's answers are (its values are those of core.permissions.Category):
# most are health information; a triage instrument is coordinated access (A3), given by that team.
CATEGORIES = ("health", "coordinated_access")
DEFAULT_CATEGORY = "health"


def definition_category(data: dict[str, Any]) -> str:
    """The category of parsed definition data; versions stored before the field existed are health."""
    return data.get("category") or DEFAULT_CATEGORY


@dataclass(frozen=True)
class Problem:
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        if not self.path:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return _("Line %(line)s, %(path)s: %(message)s") % {
            "line": self.line,
            "path": self.path,
            "message": self.message,
        }


class InstrumentDefinitionError(Exception):
    """A definition file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Definition:
    """A checked definition, as JSON-ready data (what InstrumentVersion stores)."""

    data: dict[str, Any]
    _questions: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._questions = {q["key"]: q for s in self.data["sections"] for q in s["questions"]}

    @property
    def key(self) -> str:
        return self.data["key"]

    @property
    def version(self) -> str:
        return self.data["version"]

    @property
    def category(self) -> str:
        return definition_category(self.data)

    @property
    def sections(self) -> list[dict[str, Any]]:
        return self.data["sections"]

    @property
    def questions(self) -> list[dict[str, Any]]:
        """Every question, in the order of the file."""
        return list(self._questions.values())

    def question(self, key: str) -> dict[str, Any] | None:
        return self._questions.get(key)

    @property
    def derived(self) -> list[dict[str, Any]]:
        return self.data.get("derived", [])

    @property
    def bands(self) -> list[dict[str, Any]]:
        return self.data.get("bands", [])


def _line(node: Any, key: Any = None, parent: Any = None, index: Any = None) -> int:
    """The 1-based line of a key in a mapping, of an item in a sequence, or of the node itself."""
    try:
        if isinstance(parent, CommentedMap) and index is not None and index in parent:
            return parent.lc.key(index)[0] + 1
        if isinstance(parent, CommentedSeq) and index is not None:
            return parent.lc.item(index)[0] + 1
        if isinstance(node, CommentedMap | CommentedSeq):
            if key is not None and isinstance(node, CommentedMap) and key in node:
                return node.lc.key(key)[0] + 1
            return node.lc.line + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        pass
    return 1


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(line=line, path=path, message=message))

    def mapping(self, node: Any, path: str, line: int) -> bool:
        if not isinstance(node, dict):
            self.add(line, path, _("expected a mapping of keys and values."))
            return False
        return True

    def required(self, node: CommentedMap, name: str, path: str) -> Any:
        if name not in node or node[name] in (None, ""):
            self.add(_line(node), f"{path}.{name}" if path else name, _("this field is required."))
            return None
        return node[name]

    def key(self, node: CommentedMap, path: str, seen: set[str]) -> str | None:
        value = self.required(node, "key", path)
        where = f"{path}.key" if path else "key"
        if value is None:
            return None
        if not isinstance(value, str) or not value.replace("_", "").isalnum() or not value.isascii():
            self.add(
                _line(node, "key"),
                where,
                _("a key is made of letters, digits and underscores; “%(value)s” is not.") % {"value": value},
            )
            return None
        if value in seen:
            self.add(_line(node, "key"), where, _("the key “%(value)s” is used twice.") % {"value": value})
            return None
        seen.add(value)
        return value

    def text(
        self, node: CommentedMap, name: str, path: str, *, required: bool = True
    ) -> dict[str, str] | None:
        where = f"{path}.{name}" if path else name
        if name not in node:
            if required:
                self.add(_line(node), where, _("this field is required."))
            return None
        value = node[name]
        if not isinstance(value, dict):
            self.add(_line(node, name), where, _("give the text in French and English, as fr: and en:."))
            return None
        result = {}
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.add(
                    _line(value, language) if language in value else _line(node, name),
                    f"{where}.{language}",
                    _("the text in this language is missing."),
                )
            else:
                result[language] = text.strip()
        for extra in value:
            if extra not in LANGUAGES:
                self.add(
                    _line(value, extra),
                    f"{where}.{extra}",
                    _("unknown language “%(value)s”.") % {"value": extra},
                )
        return result if len(result) == len(LANGUAGES) else None

    def number(self, node: CommentedMap, name: str, path: str) -> float | int | None:
        if name not in node or node[name] is None:
            return None
        value = node[name]
        if not _is_number(value):
            self.add(
                _line(node, name),
                f"{path}.{name}",
                _("expected a number, not “%(value)s”.") % {"value": value},
            )
            return None
        return value

    def sequence(self, node: CommentedMap, name: str, path: str, *, required: bool = True) -> list:
        where = f"{path}.{name}" if path else name
        if name not in node or node[name] is None:
            if required:
                self.add(_line(node), where, _("this field is required."))
            return []
        value = node[name]
        if not isinstance(value, list):
            self.add(_line(node, name), where, _("expected a list."))
            return []
        if required and not value:
            self.add(_line(node, name), where, _("this list cannot be empty."))
        return value


# What the YAML reader says (in English, whatever the reader's language), said in the reader's words:
# the first fragment found in the reader's problem or its context picks the sentence.
_YAML_PROBLEMS: list[tuple[str, Any]] = [
    ("duplicate key", gettext_lazy("a key is written twice in the same block")),
    (
        "cannot start any token",
        gettext_lazy("a tab or a character that cannot start a value; indent with spaces"),
    ),
    (
        "mapping values are not allowed",
        gettext_lazy("a colon where none is expected; put quotes around a value that holds “: ”"),
    ),
    ("quoted scalar", gettext_lazy("a quote is opened and never closed")),
    ("flow sequence", gettext_lazy("a list opened with “[” is not closed with “]”")),
    ("flow mapping", gettext_lazy("a block opened with “{” is not closed with “}”")),
    ("undefined alias", gettext_lazy("a value starts with “*”; put it in quotes")),
    ("could not find expected ':'", gettext_lazy("a key without its colon")),
    ("block", gettext_lazy("the indentation does not line up with the lines above")),
]


def _yaml_problem(error: YAMLError) -> str:
    said = f"{getattr(error, 'problem', '') or ''} {getattr(error, 'context', '') or ''} {error}".lower()
    for fragment, sentence in _YAML_PROBLEMS:
        if fragment.lower() in said:
            return str(sentence)
    return _("check the indentation, the colons and the quotes")


def _load_yaml(text: str) -> Any:
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise InstrumentDefinitionError(
            [Problem(line, "", _("this is not valid YAML: %(problem)s.") % {"problem": _yaml_problem(error)})]
        ) from None


def _condition(
    checker: _Checker, node: CommentedMap, path: str, earlier: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    when = node["when"]
    where = f"{path}.when"
    if not checker.mapping(when, where, _line(node, "when")):
        return None
    target = when.get("question")
    if not isinstance(target, str) or target not in earlier:
        checker.add(
            _line(when, "question"),
            f"{where}.question",
            _("a condition can only refer to an earlier question; “%(value)s” is not one.")
            % {"value": target},
        )
        return None
    if ("equals" in when) == ("in" in when):
        checker.add(_line(when), where, _("a condition needs either “equals” or “in”."))
        return None
    values = [when["equals"]] if "equals" in when else when["in"]
    if not isinstance(values, list) or not values:
        checker.add(_line(when, "in"), f"{where}.in", _("expected a list."))
        return None
    question = earlier[target]
    allowed = _possible_values(question)
    clean = []
    for value in values:
        # YAML 1.2 reads yes and no as strings, but a writer may still quote them or not.
        value = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        if allowed is not None and value not in allowed:
            checker.add(
                _line(when, "equals" if "equals" in when else "in"),
                where,
                _("“%(value)s” is not a possible answer to “%(question)s”.")
                % {"value": value, "question": target},
            )
            return None
        clean.append(value)
    return {"question": target, "in": clean}


def _possible_values(question: dict[str, Any]) -> set[Any] | None:
    if question["type"] == "yes_no":
        values: set[Any] = {"yes", "no"}
    elif question["type"] in CHOICE_TYPES:
        values = {o["key"] for o in question["options"]}
    else:
        return None
    if question["allow_refused"]:
        values.add(REFUSED)
    if question["allow_doesnt_know"]:
        values.add(DOESNT_KNOW)
    return values


def _question(
    checker: _Checker, node: Any, path: str, seen: set[str], earlier: dict[str, dict[str, Any]], line: int
) -> dict[str, Any] | None:
    if not checker.mapping(node, path, line):
        return None
    key = checker.key(node, path, seen)
    kind = checker.required(node, "type", path)
    if kind is not None and kind not in QUESTION_TYPES:
        checker.add(
            _line(node, "type"),
            f"{path}.type",
            _("unknown question type “%(value)s”.") % {"value": kind},
        )
        kind = None
    text = checker.text(node, "text", path)
    question: dict[str, Any] = {
        "key": key,
        "type": kind,
        "text": text,
        "required": bool(node.get("required", False)),
        "allow_refused": bool(node.get("allow_refused", False)),
        "allow_doesnt_know": bool(node.get("allow_doesnt_know", False)),
    }
    for flag in ("required", "allow_refused", "allow_doesnt_know"):
        if flag in node and not isinstance(node[flag], bool):
            checker.add(_line(node, flag), f"{path}.{flag}", _("expected true or false."))
    if "help" in node:
        question["help"] = checker.text(node, "help", path)
    if kind in CHOICE_TYPES:
        options = []
        option_keys: set[str] = set()
        for i, option in enumerate(checker.sequence(node, "options", path)):
            where = f"{path}.options[{i}]"
            if not checker.mapping(option, where, _line(option, parent=node["options"], index=i)):
                continue
            option_key = checker.key(option, where, option_keys)
            if option_key in SPECIAL_ANSWERS:
                checker.add(
                    _line(option, "key"),
                    f"{where}.key",
                    _("“%(value)s” is a reserved answer: use allow_refused or allow_doesnt_know.")
                    % {"value": option_key},
                )
            label = checker.text(option, "label", where)
            points = checker.number(option, "points", where)
            options.append({"key": option_key, "label": label, "points": points or 0})
        question["options"] = options
    elif "options" in node:
        checker.add(_line(node, "options"), f"{path}.options", _("only choice questions have options."))
    if kind == "yes_no":
        yes_no_points: Any = node.get("points", {}) or {}
        if not isinstance(yes_no_points, dict) or set(yes_no_points) - {"yes", "no"}:
            checker.add(_line(node, "points"), f"{path}.points", _("give points as yes: and no:."))
            yes_no_points = {}
        question["points"] = {}
        for answer in ("yes", "no"):
            question["points"][answer] = checker.number(yes_no_points, answer, f"{path}.points") or 0
    if kind in NUMERIC_TYPES:
        low = checker.number(node, "min", path)
        high = checker.number(node, "max", path)
        if kind == "count":
            if low is not None and low < 0:
                checker.add(_line(node, "min"), f"{path}.min", _("a count cannot be below zero."))
            low = 0 if low is None else low
        if low is not None and high is not None and low > high:
            checker.add(_line(node, "max"), f"{path}.max", _("the maximum is below the minimum."))
        question["min"], question["max"] = low, high
        ranges = []
        for i, item in enumerate(checker.sequence(node, "points", path, required=False)):
            where = f"{path}.points[{i}]"
            if not checker.mapping(item, where, _line(item, parent=node["points"], index=i)):
                continue
            item_low = checker.number(item, "min", where)
            item_high = checker.number(item, "max", where)
            item_points = checker.number(item, "points", where)
            if item_points is None:
                checker.required(item, "points", where)
            ranges.append({"min": item_low, "max": item_high, "points": item_points or 0})
        question["points"] = ranges
    if kind == "scale_1_10":
        question["scored"] = bool(node.get("scored", False))
    if "when" in node:
        question["when"] = _condition(checker, node, path, earlier)
    return question


def _max_points(question: dict[str, Any]) -> float:
    kind = question["type"]
    if kind == "yes_no":
        return max(0, *question["points"].values())
    if kind == "single_choice":
        return max([0] + [o["points"] for o in question["options"]])
    if kind == "multiple_choice":
        return sum(o["points"] for o in question["options"] if o["points"] > 0)
    if kind in NUMERIC_TYPES:
        return max([0] + [r["points"] for r in question["points"]])
    if kind == "scale_1_10" and question.get("scored"):
        return 10
    return 0


def validate_definition(text: str) -> Definition:
    """Read and check a definition file; raise InstrumentDefinitionError listing every problem found."""
    root = _load_yaml(text)
    checker = _Checker()
    if not checker.mapping(root, "", 1):
        raise InstrumentDefinitionError(checker.problems)
    key = checker.key(root, "", set())
    version = checker.required(root, "version", "")
    data: dict[str, Any] = {
        "key": key,
        "version": str(version) if version is not None else None,
        "title": checker.text(root, "title", ""),
        "description": checker.text(root, "description", "", required=False),
        "category": _category(checker, root),
        "sections": [],
    }
    section_keys: set[str] = set()
    item_keys: set[str] = set()
    earlier: dict[str, dict[str, Any]] = {}
    for i, section_node in enumerate(checker.sequence(root, "sections", "")):
        path = f"sections[{i}]"
        if not checker.mapping(section_node, path, _line(section_node, parent=root["sections"], index=i)):
            continue
        section: dict[str, Any] = {
            "key": checker.key(section_node, path, section_keys),
            "title": checker.text(section_node, "title", path),
            "cap": checker.number(section_node, "cap", path),
            "questions": [],
        }
        for j, question_node in enumerate(checker.sequence(section_node, "questions", path)):
            question = _question(
                checker,
                question_node,
                f"{path}.questions[{j}]",
                item_keys,
                earlier,
                _line(question_node, parent=section_node["questions"], index=j),
            )
            if question is not None:
                section["questions"].append(question)
                if question["key"] and question["type"]:
                    earlier[question["key"]] = question
        data["sections"].append(section)

    derived_max: dict[str, float] = {}
    data["derived"] = []
    for i, node in enumerate(checker.sequence(root, "derived", "", required=False)):
        path = f"derived[{i}]"
        if not checker.mapping(node, path, _line(node, parent=root["derived"], index=i)):
            continue
        item_key = checker.key(node, path, item_keys)
        label = checker.text(node, "label", path)
        operation = checker.required(node, "operation", path)
        if operation is not None and operation not in DERIVED_OPERATIONS:
            checker.add(
                _line(node, "operation"),
                f"{path}.operation",
                _("unknown operation “%(value)s”: use sum, max or min.") % {"value": operation},
            )
        sources = checker.sequence(node, "of", path)
        maxima = []
        for j, source in enumerate(sources):
            if source in earlier:
                maxima.append(_max_points(earlier[source]))
            elif source in derived_max:
                maxima.append(derived_max[source])
            else:
                checker.add(
                    _line(sources, parent=sources, index=j),
                    f"{path}.of[{j}]",
                    _("“%(value)s” is not a question or an earlier derived item.") % {"value": source},
                )
        in_total = bool(node.get("in_total", False))
        if operation == "sum":
            derived_max[item_key or ""] = sum(maxima)
        elif operation == "min":
            derived_max[item_key or ""] = min(maxima, default=0)
        else:
            derived_max[item_key or ""] = max(maxima, default=0)
        data["derived"].append(
            {
                "key": item_key,
                "label": label,
                "operation": operation,
                "of": list(sources),
                "in_total": in_total,
            }
        )

    max_total: float = 0
    for section in data["sections"]:
        section_max = sum(_max_points(q) for q in section["questions"] if q["type"])
        if section["cap"] is not None:
            section_max = min(section_max, section["cap"])
        max_total += section_max
    max_total += sum(derived_max.get(d["key"] or "", 0) for d in data["derived"] if d["in_total"])
    data["max_total"] = max_total

    data["bands"] = []
    band_keys: set[str] = set()
    bands_node = checker.sequence(root, "bands", "", required=False)
    for i, node in enumerate(bands_node):
        path = f"bands[{i}]"
        if not checker.mapping(node, path, _line(node, parent=bands_node, index=i)):
            continue
        band = {
            "key": checker.key(node, path, band_keys),
            "label": checker.text(node, "label", path),
            "min": checker.number(node, "min", path),
            "max": checker.number(node, "max", path),
            "line": _line(node, parent=bands_node, index=i),
            "path": path,
        }
        for bound in ("min", "max"):
            if band[bound] is None:
                checker.required(node, bound, path)
        data["bands"].append(band)
    _check_bands(checker, data["bands"], max_total)
    for band in data["bands"]:
        del band["line"], band["path"]

    if checker.problems:
        raise InstrumentDefinitionError(sorted(checker.problems, key=lambda p: p.line))
    return Definition(data)


def _category(checker: _Checker, root: CommentedMap) -> str:
    """The optional top-level category: health unless the file says otherwise."""
    value = root.get("category")
    if "category" not in root or value is None:
        return DEFAULT_CATEGORY
    if not isinstance(value, str) or value not in CATEGORIES:
        checker.add(
            _line(root, "category"),
            "category",
            _("unknown category “%(value)s”: use health or coordinated_access.") % {"value": value},
        )
        return DEFAULT_CATEGORY
    return value


def _check_bands(checker: _Checker, bands: list[dict[str, Any]], max_total: float) -> None:
    """Bands must cover every total from 0 to the highest possible, once each."""
    complete = [b for b in bands if b["min"] is not None and b["max"] is not None]
    if not complete or len(complete) != len(bands):
        return
    ordered = sorted(complete, key=lambda b: b["min"])
    for band in ordered:
        if band["min"] > band["max"]:
            checker.add(band["line"], band["path"], _("the band's maximum is below its minimum."))
            return
    if ordered[0]["min"] > 0:
        checker.add(ordered[0]["line"], ordered[0]["path"], _("no band covers a total of 0."))
    for previous, band in itertools.pairwise(ordered):
        if band["min"] <= previous["max"]:
            checker.add(
                band["line"],
                band["path"],
                _("this band overlaps band “%(other)s”.") % {"other": previous["key"]},
            )
        elif band["min"] > previous["max"] + 1:
            checker.add(
                band["line"],
                band["path"],
                _("totals between %(low)s and %(high)s fall in no band.")
                % {"low": previous["max"], "high": band["min"]},
            )
    if ordered[-1]["max"] < max_total:
        checker.add(
            ordered[-1]["line"],
            ordered[-1]["path"],
            _("the highest possible total, %(total)s, falls in no band.") % {"total": max_total},
        )
