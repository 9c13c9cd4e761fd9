"""Read a pharmacy's fill history from CSV, with a column mapping and errors by line.

Nothing is written here: :func:`parse_refill_csv` returns every row or raises
:class:`RefillImportError` listing the lines it could not read (``services.refills`` writes
the rows in one transaction). Error messages name the line and the column, never the drug or
the patient (they may end up in a log).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mmsdesk.models.parsing import hidden_problem, read_date

# The fields we read, and the header names that usually hold them.
FIELDS: dict[str, tuple[str, ...]] = {
    "fill_date": ("fill date", "date filled", "filled", "fill_date", "date", "dispensed",
                  "date of service", "service date", "dispense date"),
    "drug": ("drug", "drug name", "medication", "medicine", "product", "description",
             "drug_name", "item"),
    "quantity": ("quantity", "qty", "quantity dispensed", "qty dispensed"),
    "days_supply": ("days supply", "days' supply", "days_supply", "day supply", "ds", "days",
                    "supply days"),
    "pharmacy": ("pharmacy", "pharmacy name", "store"),
}
REQUIRED = ("fill_date", "drug", "days_supply")
LABELS = {"fill_date": "date filled", "drug": "drug", "quantity": "quantity",
          "days_supply": "days' supply", "pharmacy": "pharmacy"}
MAX_DAYS_SUPPLY = 365
MAX_ERRORS_SHOWN = 20
EARLIEST = date(1990, 1, 1)
# Date forms read (mmsdesk.models.parsing.read_date, loose): YYYY-MM-DD, MM/DD/YYYY and
# MM-DD-YYYY, MM/DD/YY, YYYYMMDD, DD-Mon-YYYY.


class RefillImportError(ValueError):
    """The file cannot be imported; ``errors`` lists one message per bad place."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        super().__init__(f"{source}: nothing imported: {text}")


@dataclass(frozen=True)
class RefillRow:
    line: int
    fill_date: date
    drug: str
    days_supply: int
    quantity: float | None = None
    pharmacy: str = ""


@dataclass
class RefillFile:
    headers: list[str]
    mapping: dict[str, str]  # field -> header
    rows: list[RefillRow] = field(default_factory=list)


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().lower().replace("’", "'"))


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field -> header, for the headers that look like one of ``FIELDS``."""
    normalised = {_norm(h): h for h in headers}
    out: dict[str, str] = {}
    for fld, names in FIELDS.items():
        for name in names:
            h = normalised.get(_norm(name))
            if h is not None and h not in out.values():
                out[fld] = h
                break
    return out


def read_headers(text: str) -> list[str]:
    reader = csv.reader(io.StringIO(text))
    return [h.strip() for h in next(reader, [])]


def parse_date(text: str) -> date | None:
    """The fill date in any of the pharmacy systems' forms (the one date reader, loose)."""
    try:
        return read_date(text, loose=True)
    except ValueError:
        return None


def decode(data: bytes, source: str) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise RefillImportError(source, ["the file is not text (UTF-8 or Windows-1252)"])


def load_refill_file(path: Path, mapping: dict[str, str] | None = None,
                     today: date | None = None) -> RefillFile:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RefillImportError(path.name, [f"cannot read the file ({exc.strerror})"]) from None
    return parse_refill_csv(decode(data, path.name), mapping, source=path.name, today=today)


def parse_refill_csv(text: str, mapping: dict[str, str] | None = None, *,
                     source: str = "refill file", today: date | None = None) -> RefillFile:
    """Every row of the file, or :class:`RefillImportError` naming each bad line."""
    if "\x00" in text:
        at = text[:text.index("\x00")].count("\n") + 1
        raise RefillImportError(source, [f"line {at}: a NUL byte (this is not a CSV text file)"])
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []  # (first physical line, cells)
    try:
        last = 0
        for raw in reader:
            records.append((last + 1, raw))
            last = reader.line_num
    except csv.Error as exc:
        raise RefillImportError(source, [f"line {reader.line_num}: {exc}"]) from None
    if not records or not any(c.strip() for c in records[0][1]):
        raise RefillImportError(source, ["line 1: the header row is missing"])
    headers = [h.strip() for h in records[0][1]]
    mapping = dict(mapping) if mapping else guess_mapping(headers)
    problems = []
    for fld in REQUIRED:
        if fld not in mapping:
            problems.append(f"line 1: no column for {LABELS[fld]} (map one)")
        elif mapping[fld] not in headers:
            problems.append(f"line 1: column {mapping[fld]!r} not found")
    if problems:
        raise RefillImportError(source, problems)
    index = {fld: headers.index(h) for fld, h in mapping.items() if h in headers}
    out = RefillFile(headers, mapping)
    errors: list[str] = []
    for line, raw in records[1:]:
        if not any(c.strip() for c in raw):
            continue
        row, err = _row(raw, index, line, today)
        if err:
            errors.append(err)
        elif row is not None:
            out.rows.append(row)
    if errors:
        raise RefillImportError(source, errors)
    if not out.rows:
        raise RefillImportError(source, [f"line {last + 1}: no fills found below the header row"])
    return out


def _cell(raw: list[str], index: dict[str, int], fld: str) -> str:
    i = index.get(fld)
    return raw[i].strip() if i is not None and i < len(raw) else ""


def _row(raw: list[str], index: dict[str, int], line: int,
         today: date | None) -> tuple[RefillRow | None, str]:
    where = f"line {line}"
    text = _cell(raw, index, "fill_date")
    if not text:
        return None, f"{where}: the {LABELS['fill_date']} is empty"
    filled = parse_date(text)
    if filled is None:
        return None, f"{where}: the {LABELS['fill_date']} is not a date (use YYYY-MM-DD or MM/DD/YYYY)"
    if filled < EARLIEST or (today is not None and filled > today):
        return None, f"{where}: the {LABELS['fill_date']} is out of range"
    drug = _cell(raw, index, "drug")
    if not drug:
        return None, f"{where}: the drug is empty"
    if len(drug) > 300:
        return None, f"{where}: the drug name is {len(drug)} characters, over the 300 kept"
    hidden = hidden_problem(drug, "the drug name")
    if hidden:
        return None, f"{where}: {hidden}"
    ds_text = _cell(raw, index, "days_supply")
    try:
        ds_float = float(ds_text)
    except ValueError:
        return None, f"{where}: the {LABELS['days_supply']} is not a number"
    if not math.isfinite(ds_float) or ds_float != int(ds_float):
        return None, f"{where}: the {LABELS['days_supply']} must be a whole number of days"
    days = int(ds_float)
    if not 1 <= days <= MAX_DAYS_SUPPLY:
        return None, f"{where}: the {LABELS['days_supply']} must be between 1 and {MAX_DAYS_SUPPLY}"
    qty_text = _cell(raw, index, "quantity")
    quantity: float | None = None
    if qty_text:
        try:
            quantity = float(qty_text)
        except ValueError:
            return None, f"{where}: the quantity is not a number"
        if not (math.isfinite(quantity) and 0 < quantity < 100000):
            return None, f"{where}: the quantity must be above 0"
    pharmacy = _cell(raw, index, "pharmacy")
    if len(pharmacy) > 200:
        return None, f"{where}: the pharmacy is {len(pharmacy)} characters, over the 200 kept"
    hidden = hidden_problem(pharmacy, "the pharmacy")
    if hidden:
        return None, f"{where}: {hidden}"
    return RefillRow(line, filled, drug, days, quantity, pharmacy), ""
