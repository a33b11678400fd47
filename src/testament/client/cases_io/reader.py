"""Read a cases CSV once, streaming, into validated rows; every problem becomes a `RowError`.

Rows are counted as a spreadsheet shows them: the header is row 1, the first case row 2, however
many lines the cells inside span. Empty rows are skipped. The file may start with a BOM (Excel's
"CSV UTF-8") and may separate cells with commas, semicolons or tabs (whichever the header uses).
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from testament.client.cases_io.columns import ENUM_COLUMNS, TEXT_COLUMNS, read_header
from testament.client.cases_io.steps import Step, StepError, parse_steps
from testament.client.cases_io.vocabulary import Vocabulary

TITLE_MAX = 255
CELL_MAX = 16 * 1024 * 1024
TRUE_WORDS = frozenset({"1", "true", "yes", "y"})
CASE_ID = re.compile(r"^(?:([A-Za-z][A-Za-z0-9]*)-)?0*(\d{1,9})$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CaseRow:
    """One case as the file describes it. `None` means the file has no such column: leave it."""

    row: int
    title: str
    id: int | None = None
    suite: tuple[str, ...] | None = None
    suite_ref: str | None = None  # a Qase `suite_id`, turned into `suite` once the file is read
    text: dict[str, str | None] = field(default_factory=dict)
    enums: dict[str, int] = field(default_factory=dict)
    tags: list[str] | None = None
    steps_type: str | None = None
    steps: list[Step] | None = None


@dataclass
class SuiteDefinition:
    title: str
    parent: str | None
    row: int


@dataclass
class ParsedFile:
    rows: list[CaseRow] = field(default_factory=list)
    suites: list[tuple[str, ...]] = field(default_factory=list)  # suites the file declares
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    step_columns: frozenset[str] = frozenset()  # which of the three step columns the file has
    labels: dict[str, str] = field(default_factory=dict)  # column -> the header as written

    def label(self, column: str) -> str:
        return self.labels.get(column, column)


class NotUtf8(ValueError):
    def __init__(self, line: int, error: UnicodeDecodeError) -> None:
        super().__init__(
            f"line {line} is not UTF-8 text ({error.reason}); save the file as CSV UTF-8"
        )


def decode_lines(binary: Iterable[bytes]) -> Iterator[str]:
    """The file's lines as text, one at a time; a UTF-8 BOM (Excel's "CSV UTF-8") is dropped."""
    for number, raw in enumerate(binary, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotUtf8(number, exc) from None
        yield line.removeprefix("\ufeff") if number == 1 else line


def _records(lines: Iterable[str]) -> Iterator[list[str]]:
    stream = iter(lines)
    first = next(stream, "")
    counts = {delimiter: first.count(delimiter) for delimiter in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    csv.field_size_limit(min(sys.maxsize, CELL_MAX))
    yield from csv.reader(itertools.chain([first], stream), delimiter=delimiter)


def split_path(text: str) -> tuple[str, ...]:
    """`Auth / Login / SSO` -> ("Auth", "Login", "SSO"); `\\/` is a slash inside a title."""
    segments: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "/":
            segments.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    segments.append("".join(current).strip())
    # A leading or trailing slash is harmless: `/Auth/Login/`.
    if segments and not segments[0] and len(segments) > 1:
        segments.pop(0)
    if segments and not segments[-1] and len(segments) > 1:
        segments.pop()
    if segments == [""]:
        return ()
    return tuple(segments)


def join_path(path: tuple[str, ...]) -> str:
    return " / ".join(s.replace("\\", "\\\\").replace("/", "\\/") for s in path)


def split_tags(cell: str) -> list[str]:
    """Comma-separated; a tag holding a comma is quoted: `smoke, "a, b"`."""
    if not cell.strip():
        return []
    one_line = cell.replace("\r", " ").replace("\n", " ")
    parsed = next(csv.reader([one_line], skipinitialspace=True), [])
    return list(dict.fromkeys(tag.strip() for tag in parsed if tag.strip()))


def join_tags(tags: list[str]) -> str:
    return ", ".join(
        f'"{t.replace(chr(34), chr(34) * 2)}"' if "," in t or '"' in t else t for t in tags
    )


class _Row:
    """One record's cells by column, with the header's labels for errors."""

    def __init__(
        self, number: int, cells: list[str], positions: dict[str, int], labels: dict[str, str]
    ) -> None:
        self.number = number
        self.cells = cells
        self.positions = positions
        self.labels = labels
        self.errors: list[RowError] = []

    def get(self, column: str) -> str:
        position = self.positions.get(column)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position]

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(
            RowError(self.number, self.labels.get(column, column) if column else None, message)
        )


def read_cases(lines: Iterable[str], vocabulary: Vocabulary, *, project_code: str) -> ParsedFile:
    parsed = ParsedFile()
    records = _records(lines)
    try:
        header_cells = next(records, None)
    except (NotUtf8, csv.Error) as exc:
        parsed.errors.append(RowError(1, None, _unreadable(exc)))
        return parsed
    if header_cells is None:
        parsed.errors.append(RowError(1, None, "the file is empty: it needs a header row"))
        return parsed
    header = read_header(header_cells)
    parsed.errors += [RowError(1, None, message) for message in header.errors]
    if header.errors:
        return parsed
    if header.ignored:
        parsed.warnings.append(f"columns left out: {', '.join(header.ignored)}")
    step_columns = {c for c in ("steps_actions", "steps_result", "steps_data") if header.has(c)}
    if step_columns and "steps_actions" not in step_columns:
        parsed.errors.append(
            RowError(1, None, "expected results or data need a steps_actions column")
        )
        return parsed
    parsed.step_columns = frozenset(step_columns)
    parsed.labels = header.labels

    definitions: dict[str, SuiteDefinition] = {}
    definition_rows: list[tuple[int, str]] = []
    number = 1
    try:
        for cells in records:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            row = _Row(number, cells, header.positions, header.labels)
            if len(cells) > len(header_cells) and any(
                c.strip() for c in cells[len(header_cells) :]
            ):
                row.error(
                    None,
                    f"{len(cells)} cells but the header has {len(header_cells)} columns "
                    "(a cell holding a comma needs quotes around it)",
                )
            case = _read_row(row, vocabulary, project_code, definitions, definition_rows)
            parsed.errors += row.errors
            if case is not None and not row.errors:
                parsed.rows.append(case)
    except (NotUtf8, csv.Error) as exc:
        parsed.errors.append(RowError(number + 1, None, _unreadable(exc)))
        return parsed
    _resolve_suite_refs(parsed, definitions, definition_rows, header.labels)
    return parsed


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, NotUtf8):
        return str(exc)
    return f"not readable as CSV: {exc}"


def _read_row(
    row: _Row,
    vocabulary: Vocabulary,
    project_code: str,
    definitions: dict[str, SuiteDefinition],
    definition_rows: list[tuple[int, str]],
) -> CaseRow | None:
    positions = row.positions
    title = row.get("title").strip()
    suite_ref = row.get("suite_id").strip() or None
    if suite_ref is not None:
        _define_suite(row, suite_ref, definitions)
    if row.get("suite_without_cases").strip().lower() in TRUE_WORDS or (not title and suite_ref):
        if suite_ref is None:
            row.error("suite_id", "a suite row needs its suite_id")
        else:
            definition_rows.append((row.number, suite_ref))
        return None
    if not title:
        row.error("title", "empty: every case needs a title")
    elif len(title) > TITLE_MAX:
        row.error("title", f"{len(title)} characters; at most {TITLE_MAX}")
    case = CaseRow(row=row.number, title=title, suite_ref=suite_ref)

    raw_id = row.get("id").strip()
    if raw_id:
        match = CASE_ID.match(raw_id)
        if match is None or int(match.group(2)) < 1:
            row.error("id", f"{raw_id!r} is not a case id (a number, or {project_code}-12)")
        elif match.group(1) and match.group(1).upper() != project_code.upper():
            row.error(
                "id",
                f"{raw_id!r} is a case of project {match.group(1).upper()}, not {project_code}",
            )
        else:
            case.id = int(match.group(2))

    if suite_ref is None and "suite" in positions:
        path = split_path(row.get("suite"))
        for segment in path:
            if not segment:
                row.error("suite", f"an empty suite name in {row.get('suite')!r}")
                break
            if len(segment) > TITLE_MAX:
                row.error("suite", f"a suite name longer than {TITLE_MAX} characters")
                break
        case.suite = path

    for column in TEXT_COLUMNS:
        if column in positions:
            case.text[column] = row.get(column) or None

    for column in ENUM_COLUMNS:
        value = row.get(column).strip()
        if column not in positions or not value:
            continue
        option = vocabulary.resolve(column, value)
        if option is None:
            row.error(column, f'unknown value "{value}" (use one of: {vocabulary.allowed(column)})')
        else:
            case.enums[column] = option

    if "tags" in positions:
        tags = split_tags(row.get("tags"))
        if any(len(tag) > TITLE_MAX for tag in tags):
            row.error("tags", f"a tag longer than {TITLE_MAX} characters")
        case.tags = tags

    steps_type = row.get("steps_type").strip().lower()
    if steps_type and steps_type not in ("classic", "gherkin"):
        row.error("steps_type", f'unknown value "{steps_type}" (use one of: classic, gherkin)')
    case.steps_type = steps_type or None
    if "steps_actions" in positions:
        labels = tuple(
            row.labels.get(c, c) for c in ("steps_actions", "steps_result", "steps_data")
        )
        try:
            case.steps = parse_steps(
                row.get("steps_actions"),
                row.get("steps_result"),
                row.get("steps_data"),
                gherkin=steps_type == "gherkin",
                columns=labels,
            )
        except StepError as exc:
            row.errors.append(RowError(row.number, exc.column, exc.message))
    return case


def _define_suite(row: _Row, suite_ref: str, definitions: dict[str, SuiteDefinition]) -> None:
    """Qase's suite tree: each row names its suite's id, title and parent's id."""
    title = row.get("suite").strip()
    parent = row.get("suite_parent_id").strip() or None
    known = definitions.get(suite_ref)
    if known is None:
        if title:  # else the row only refers to a suite another row defines
            definitions[suite_ref] = SuiteDefinition(title, parent, row.number)
    elif (title and title != known.title) or (parent is not None and parent != known.parent):
        row.error(
            "suite",
            f"suite {suite_ref} is {known.title!r} under {known.parent or 'the root'} on row "
            f"{known.row}, here {title!r} under {parent or 'the root'}",
        )


def _resolve_suite_refs(
    parsed: ParsedFile,
    definitions: dict[str, SuiteDefinition],
    definition_rows: list[tuple[int, str]],
    labels: dict[str, str],
) -> None:
    resolved: dict[str, tuple[str, ...]] = {}

    def path_of(ref: str, row: int) -> tuple[str, ...] | None:
        titles: list[str] = []
        seen: list[str] = []
        current: str | None = ref
        while current is not None and current not in resolved:
            definition = definitions.get(current)
            if definition is None or current in seen:
                column = "suite_parent_id" if seen else "suite_id"
                problem = "not defined by any row" if definition is None else "its own ancestor"
                parsed.errors.append(
                    RowError(row, labels.get(column, column), f"suite {current} is {problem}")
                )
                return None
            seen.append(current)
            titles.append(definition.title)
            current = definition.parent
        base = resolved[current] if current is not None else ()
        for index, known in enumerate(seen):
            resolved[known] = (*base, *reversed(titles[index:]))
        return resolved[ref]

    for case in parsed.rows:
        if case.suite_ref is not None:
            case.suite = path_of(case.suite_ref, case.row)
    for row, ref in definition_rows:
        path = path_of(ref, row)
        if path is not None:
            parsed.suites.append(path)
    if parsed.errors:
        parsed.rows = [c for c in parsed.rows if c.suite_ref is None or c.suite is not None]
