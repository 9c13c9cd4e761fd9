"""Bad input never crashes and never half-writes: property tests over every form validator.

Each validator gets at least 1,000 generated malformed inputs (any Unicode including RTL,
emoji, combining marks, lone surrogates and control characters; 10,000-character notes;
impossible dates like 31/02, years 1800 and 2200; negative, huge and NaN numbers). It must
return plain messages (never raise), and a service that refuses the input must leave every
table of the store exactly as it was (audit trail included).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from dataclasses import is_dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

import mmsdesk.services as services_pkg
from mmsdesk.services import validation as v
from mmsdesk.services.validation import ValidationError
from tests.conftest import TODAY
from tests.security.strategies import (
    absurd_numbers,
    date_texts,
    extreme_dates,
    malformed,
    malformed_text,
)

EXAMPLES = 1000
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example,
                                       HealthCheck.function_scoped_fixture])


def _is_message(m: object) -> bool:
    """A clear message: a non-empty sentence of printable text, not a traceback."""
    return (isinstance(m, str) and 3 <= len(m) <= 300 and m.strip() == m
            and "Traceback" not in m and m[-1] in ".?!)")


def _field_validators() -> list[str]:
    """Every public validator in services/validation.py (new ones are picked up too)."""
    skip = {"collect", "format_date", "parse_date", "has_invalid_characters"}
    return [n for n, f in inspect.getmembers(v, inspect.isfunction)
            if f.__module__ == v.__name__ and not n.startswith("_") and n not in skip]


def _arg_strategy(name: str, tp: object) -> st.SearchStrategy:
    if name == "label":
        return st.just("Field")
    if name == "today":
        return st.just(TODAY)
    if name == "limit":
        return st.sampled_from([1, 100, v.MAX_NOTE])
    if name == "required":
        return st.booleans()
    args = set(typing.get_args(tp)) or {tp}
    if date in args:
        return st.one_of(st.none(), extreme_dates) if type(None) in args else extreme_dates
    if float in args:
        return absurd_numbers
    return malformed_text


@pytest.mark.parametrize("name", _field_validators())
def test_field_validator_returns_a_message_or_none(name):
    fn = getattr(v, name)
    hints = typing.get_type_hints(fn)
    params = [p for p in inspect.signature(fn).parameters.values()]
    strategies = {p.name: _arg_strategy(p.name, hints.get(p.name, str)) for p in params}

    @FUZZ
    @given(st.fixed_dictionaries(strategies))
    def run(kwargs):
        result = fn(**kwargs)
        assert result is None or _is_message(result), repr(result)

    run()


@FUZZ
@given(date_texts)
def test_parse_date_never_raises_and_explains(text_in):
    value, message = v.parse_date(text_in, "Date of birth")
    assert (value is None) or (message is None)
    if message is not None:
        assert _is_message(message) and message.startswith("Date of birth")
    if value is not None:
        assert 1 <= value.year <= 9999


@pytest.mark.parametrize("bad,expected", [
    ("31/02/2020", "is not a real calendar date"),  # read as month 31
    ("02/31/2020", "is not a real calendar date"),
    ("2023-02-29", "is not a real calendar date"),
])
def test_parse_date_examples(bad, expected):
    assert expected in v.parse_date(bad, "Date")[1]


def test_birth_date_refuses_1800_and_2200():
    assert "1900 or later" in v.birth_date(date(1800, 5, 1), TODAY)
    assert "future" in v.birth_date(date(2200, 5, 1), TODAY)


# -- every validate_* function over an input dataclass, in every services module
def _dataclass_validators() -> list[tuple[str, object, type]]:
    out = []
    for info in pkgutil.iter_modules(services_pkg.__path__):
        mod = importlib.import_module(f"mmsdesk.services.{info.name}")
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            if fn.__module__ != mod.__name__ or not name.startswith("validate"):
                continue
            try:
                hints = typing.get_type_hints(fn)
            except Exception:  # noqa: BLE001 - unresolvable annotations: not an input validator
                continue
            first = next(iter(inspect.signature(fn).parameters), None)
            if first and is_dataclass(hints.get(first)):
                out.append((f"{info.name}.{name}", fn, hints[first]))
    return out


DATACLASS_VALIDATORS = _dataclass_validators()


def test_the_known_form_validators_are_all_found():
    names = {n for n, _, _ in DATACLASS_VALIDATORS}
    assert "patients.validate_patient" in names


@pytest.mark.parametrize("name,fn,cls", DATACLASS_VALIDATORS, ids=[n for n, _, _ in
                                                                   DATACLASS_VALIDATORS])
def test_form_validator_never_raises_and_gives_messages(name, fn, cls):
    takes_today = "today" in inspect.signature(fn).parameters

    @FUZZ
    @given(malformed(cls))
    def run(data):
        errors = fn(data, TODAY) if takes_today else fn(data)
        assert isinstance(errors, dict)
        for key, message in errors.items():
            assert isinstance(key, str) and key
            assert _is_message(message), (key, message)

    run()


# -- services: a refused input writes nothing at all
def _snapshot(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"))]
        return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}


def test_patient_service_refuses_malformed_input_and_writes_nothing(store):
    from mmsdesk.services.patients import PatientInput, PatientService

    svc = PatientService(store)
    outcome = {"refused": 0, "saved": 0}

    @FUZZ
    @given(malformed(PatientInput))
    def run(data):
        before = _snapshot(store)
        try:
            svc.create(data, TODAY)
        except ValidationError as exc:
            assert exc.errors and all(_is_message(m) for m in exc.errors.values())
            assert _snapshot(store) == before
            outcome["refused"] += 1
        else:
            outcome["saved"] += 1

    run()
    assert outcome["refused"] > EXAMPLES // 2


def _adders(store, patient_id: int):
    """(name, input class, callable) for each record-writing service that validates."""
    out = []
    try:
        from mmsdesk.services.record import (
            AllergyInput,
            ConditionInput,
            ObservationInput,
            PgxInput,
            RecordService,
        )

        rec = RecordService(store)
        for cls in (AllergyInput, ConditionInput, ObservationInput, PgxInput):
            out.append((cls.__name__, cls, lambda d, rec=rec: rec.add(patient_id, d, TODAY)))
    except ImportError:
        pass
    try:
        from mmsdesk.services.medications import MedicationInput, MedicationService

        meds = MedicationService(store)
        out.append(("MedicationInput", MedicationInput,
                    lambda d: meds.add(patient_id, d, TODAY)))
    except ImportError:
        pass
    return out


@pytest.mark.parametrize("which", ["AllergyInput", "ConditionInput", "ObservationInput",
                                   "PgxInput", "MedicationInput"])
def test_record_services_refuse_malformed_input_and_write_nothing(store, which):
    from mmsdesk.services.patients import PatientInput, PatientService

    pid, _ = PatientService(store).create(PatientInput("Ann", "Lee", date(1950, 1, 1)), TODAY)
    adders = {n: (cls, add) for n, cls, add in _adders(store, pid)}
    if which not in adders:
        pytest.skip(f"{which} service not present")
    cls, add = adders[which]

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(malformed(cls))
    def run(data):
        before = _snapshot(store)
        try:
            add(data)
        except ValidationError as exc:
            assert exc.errors and all(_is_message(m) for m in exc.errors.values())
            assert _snapshot(store) == before

    run()


def test_lone_surrogate_is_refused_at_the_field_not_a_crash(store):
    # Found by the property tests: a JSON "\\ud800" escape reached the driver and raised
    # UnicodeEncodeError mid-write. Validators now refuse it at the field...
    from mmsdesk.services.patients import PatientInput, PatientService

    with pytest.raises(ValidationError) as exc:
        PatientService(store).create(PatientInput("Ann\ud800", "Lee", date(1950, 1, 1)), TODAY)
    assert exc.value.errors == {"first_name": "First name contains an invalid character."}
    # ...and the store refuses any field no validator looks at, before anything is written.
    from mmsdesk.models import Patient

    before = _snapshot(store)
    with pytest.raises(ValidationError) as exc, store.session() as s:
        s.add(Patient(first_name="Ann", last_name="Lee", date_of_birth=date(1950, 1, 1),
                      payer_other="x\udfff"))
    assert list(exc.value.errors) == ["payer_other"]
    assert _snapshot(store) == before
