"""Read a pharmacy's fill history from CSV, with a column mapping and errors by line.

Files come as pharmacy systems export them: the delimiter (comma, tab, semicolon, pipe) is
found by the standard library's ``csv.Sniffer``, the header row is the first of the first
rows that names a fill date and a drug (a title line above it is skipped), dates may carry a
time ("01/05/2026 10:32 AM", "2026-02-04T09:10:00"), and an NDC (11 digits, or hyphenated
4-4-2, 5-3-2, 5-4-1, 5-4-2) names the drug through the dictionary's NDC directory when the
drug name is missing or not recognised. Rx number, strength, prescriber and NPI, pharmacy
NCPDP/NPI, sig and the patient's name and birth date are read too.

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

from mmsdesk.interop.ndc import ndc11, resolve_ndc
from mmsdesk.parsing import hidden_problem, read_date

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
    "ndc": ("ndc", "ndc code", "ndc11", "ndc 11", "national drug code", "product ndc"),
    "rx_number": ("rx number", "rx #", "rx#", "rx no", "rx", "prescription number",
                  "rx num"),
    "strength": ("strength", "drug strength"),
    "prescriber": ("prescriber", "prescriber name", "doctor", "physician", "prescribing doctor"),
    "prescriber_npi": ("prescriber npi", "npi", "doctor npi", "prescriber_npi"),
    "pharmacy_id": ("ncpdp", "ncpdp id", "pharmacy npi", "pharmacy ncpdp", "nabp"),
    "sig": ("sig", "directions", "instructions", "sig text"),
    "patient": ("patient", "patient name", "name"),
    "patient_first": ("first name", "patient first name", "first"),
    "patient_last": ("last name", "patient last name", "last"),
    "birth_date": ("dob", "date of birth", "birth date", "birthdate", "patient dob"),
}
REQUIRED = ("fill_date", "drug", "days_supply")
LABELS = {"fill_date": "date filled", "drug": "drug", "quantity": "quantity",
          "days_supply": "days' supply", "pharmacy": "pharmacy", "ndc": "NDC",
          "rx_number": "Rx number", "strength": "strength", "prescriber": "prescriber",
          "prescriber_npi": "prescriber NPI", "pharmacy_id": "pharmacy NCPDP/NPI", "sig": "sig",
          "patient": "patient", "patient_first": "first name", "patient_last": "last name",
          "birth_date": "birth date"}
DELIMITERS = ",\t;|"
HEADER_SEARCH = 10  # rows looked at for the header row
_TIME = re.compile(r"^(\S+?)(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
                   r"\s*(?:Z|[+-]\d{2}:?\d{2})?)$", re.ASCII)
_NPI = re.compile(r"^\d{10}$", re.ASCII)
_PHARMACY_ID = re.compile(r"^(\d{7}|\d{10})$", re.ASCII)
_RX_NUMBER = re.compile(r"^.{1,32}$", re.S)
MAX_DAYS_SUPPLY = 365
MAX_ERRORS_SHOWN = 20
EARLIEST = date(1990, 1, 1)
# Date forms read (mmsdesk.parsing.read_date, loose): YYYY-MM-DD, MM/DD/YYYY and
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
    ndc: str = ""  # 11 digits, when the file gives one
    rx_number: str = ""
    prescriber: str = ""
    prescriber_npi: str = ""
    pharmacy_id: str = ""  # NCPDP (7 digits) or NPI (10 digits)
    sig: str = ""
    patient: str = ""  # "First Last" as the file writes it (or its two columns)
    birth_date: date | None = None

    @property
    def pharmacy_ncpdp(self) -> str:
        return self.pharmacy_id if len(self.pharmacy_id) == 7 else ""

    @property
    def pharmacy_npi(self) -> str:
        return self.pharmacy_id if len(self.pharmacy_id) == 10 else ""


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
    rows = list(csv.reader(io.StringIO(text), dialect=sniff_dialect(text)))
    return [h.strip() for h in rows[header_row(rows)]] if rows else []


def sniff_dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The file's dialect (its delimiter among comma, tab, semicolon and pipe), by
    ``csv.Sniffer`` on the first lines, from the first line that gives a dialect in which a
    header row is found (a title line above the header may use another separator); a comma
    when it cannot tell."""
    lines = text.splitlines()[:HEADER_SEARCH + 10]
    first: type[csv.Dialect] | csv.Dialect | None = None
    for skip in range(min(HEADER_SEARCH, len(lines))):
        sample = "\n".join(lines[skip:])
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        except csv.Error:
            continue
        first = first or dialect
        rows = list(csv.reader(io.StringIO(sample), dialect=dialect))
        if rows and _is_header(rows[0]):
            return dialect
    return first or csv.excel


def _is_header(row: list[str]) -> bool:
    found = guess_mapping([c.strip() for c in row])
    return "fill_date" in found and ("drug" in found or "ndc" in found)


def header_row(rows: list[list[str]]) -> int:
    """The index of the header row: the first of the first rows whose cells name a fill date
    and a drug (or an NDC); else the first row with any text."""
    for i, row in enumerate(rows[:HEADER_SEARCH]):
        if _is_header(row):
            return i
    return next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)


def parse_date(text: str) -> date | None:
    """The fill date in any of the pharmacy systems' forms (the one date reader, loose), with
    or without a time of day."""
    t = (text or "").strip()
    m = _TIME.match(t)
    for candidate in (t, m.group(1) if m else ""):
        if candidate:
            try:
                return read_date(candidate, loose=True)
            except ValueError:
                continue
    return None


def drug_of_ndc(ndc: str) -> str:
    """The product name the dictionary's NDC directory gives this NDC, or ''."""
    r = resolve_ndc(ndc)
    if r is None:
        return ""
    return r.product or " ".join(x for x in (*r.ingredients, r.strength) if x)


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
    reader = csv.reader(io.StringIO(text, newline=""), dialect=sniff_dialect(text))
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
    first = header_row([r for _, r in records])
    header_line = records[first][0]
    headers = [h.strip() for h in records[first][1]]
    mapping = dict(mapping) if mapping else guess_mapping(headers)
    problems = []
    for fld in REQUIRED:
        if fld == "drug" and fld not in mapping and "ndc" in mapping:
            continue  # the NDC names the drug
        if fld not in mapping:
            problems.append(f"line {header_line}: no column for {LABELS[fld]} (map one)")
        elif mapping[fld] not in headers:
            problems.append(f"line {header_line}: column {mapping[fld]!r} not found")
    if problems:
        raise RefillImportError(source, problems)
    index = {fld: headers.index(h) for fld, h in mapping.items() if h in headers}
    out = RefillFile(headers, mapping)
    errors: list[str] = []
    for line, raw in records[first + 1:]:
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
    ndc_text = _cell(raw, index, "ndc")
    ndc = ndc11(ndc_text) if ndc_text else ""
    if ndc_text and not ndc:
        return None, (f"{where}: the NDC is not an NDC (11 digits, or 4-4-2, 5-3-2, 5-4-1 "
                      "with hyphens)")
    drug = _cell(raw, index, "drug")
    strength = _cell(raw, index, "strength")
    if drug and strength and strength.lower() not in drug.lower():
        drug = f"{drug} {strength}"
    if not drug and ndc:
        drug = drug_of_ndc(ndc)
        if not drug:
            return None, f"{where}: no drug named and the NDC is not in the NDC directory"
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
    extra: dict[str, str] = {}
    for fld in ("rx_number", "prescriber", "prescriber_npi", "pharmacy_id", "sig"):
        value = _cell(raw, index, fld)
        if len(value) > 200:
            return None, f"{where}: the {LABELS[fld]} is {len(value)} characters, over the 200 kept"
        hidden = hidden_problem(value, f"the {LABELS[fld]}")
        if hidden:
            return None, f"{where}: {hidden}"
        extra[fld] = value
    for fld, ok, shape in (("prescriber_npi", _NPI, "10 digits"),
                           ("pharmacy_id", _PHARMACY_ID, "7 digits (NCPDP) or 10 (NPI)"),
                           ("rx_number", _RX_NUMBER, "at most 32 characters")):
        if extra[fld] and not ok.match(extra[fld]):
            return None, f"{where}: the {LABELS[fld]} is not {shape}"
    patient = _cell(raw, index, "patient") or " ".join(
        x for x in (_cell(raw, index, "patient_first"), _cell(raw, index, "patient_last")) if x)
    if len(patient) > 200 or hidden_problem(patient, "the patient"):
        return None, f"{where}: the patient's name cannot be read"
    born_text = _cell(raw, index, "birth_date")
    born = parse_date(born_text) if born_text else None
    if born_text and born is None:
        return None, f"{where}: the {LABELS['birth_date']} is not a date"
    return RefillRow(line, filled, drug, days, quantity, pharmacy, ndc, patient=patient,
                     birth_date=born, **extra), ""
