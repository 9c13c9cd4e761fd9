"""Practice profile and service catalogue: validation, save, reload."""

from __future__ import annotations

import pytest

from mmsdesk.models.enums import ServiceType
from mmsdesk.services.practice import (
    MAX_LOGO_BYTES,
    OfferingData,
    PracticeService,
    ProfileData,
    default_catalogue,
    validate_catalogue,
    validate_profile,
)
from mmsdesk.services.validation import ValidationError

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
GOOD = ProfileData(name="  Dana   Rivera ", credentials="PharmD, BCGP", npi="1234567893",
                   practice_name="Rivera Medication Care", address=" 12 Elm St\n Springfield, IL ",
                   phone="(217) 555-0142", fax="217-555-0143", email="dana@example.com", logo=PNG)


def test_valid_profile_has_no_errors():
    assert validate_profile(GOOD) == {}


@pytest.mark.parametrize(("change", "key", "text"), [
    ({"name": " "}, "name", "required"),
    ({"npi": "123456789"}, "npi", "10 digits"),
    ({"npi": "1234567890"}, "npi", "check digit"),
    ({"npi": "12345678９3"}, "npi", "10 digits"),  # a full-width digit is not a digit here
    ({"phone": "call me"}, "phone", "555"),
    ({"fax": "12"}, "fax", "Fax"),
    ({"email": "dana@"}, "email", "name@example.com"),
    ({"logo": b"GIF89a...."}, "logo", "PNG or JPEG"),
    ({"logo": PNG + b"\0" * MAX_LOGO_BYTES}, "logo", "too large"),
])
def test_profile_problems(change, key, text):
    from dataclasses import replace

    errors = validate_profile(replace(GOOD, **change))
    assert list(errors) == [key] and text in errors[key]


def test_profile_saved_once_and_updated(store):
    svc = PracticeService(store)
    assert svc.profile() is None
    change = svc.save_profile(GOOD)
    assert change.touches("practice")
    got = svc.profile()
    assert got.name == "Dana Rivera" and got.address == "12 Elm St\nSpringfield, IL"
    assert got.logo == PNG
    from dataclasses import replace

    svc.save_profile(replace(GOOD, phone="", logo=None))
    got = svc.profile()
    assert got.phone == "" and got.logo is None
    from sqlalchemy import func, select

    from mmsdesk.models import PharmacistProfile
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(PharmacistProfile)).scalar_one() == 1


def test_invalid_profile_is_not_saved(store):
    from dataclasses import replace

    svc = PracticeService(store)
    with pytest.raises(ValidationError) as info:
        svc.save_profile(replace(GOOD, npi="1111111111"))
    assert "npi" in info.value.errors and svc.profile() is None


def test_default_catalogue_covers_every_service_with_sensible_values():
    rows = default_catalogue()
    assert {r.service for r in rows} == {str(t) for t in ServiceType}
    assert validate_catalogue(rows) == {}
    cmr = next(r for r in rows if r.service == "cmr")
    assert cmr.duration_minutes >= 45 and cmr.price > 0


def test_catalogue_validation_names_the_row():
    rows = [OfferingData("cmr", "CMR", 60, 150.0), OfferingData("tmr", "", 2, -1.0),
            OfferingData("massage", "Massage", 30, 10.0)]
    errors = validate_catalogue(rows)
    assert set(errors) == {"row1.name", "row1.duration_minutes", "row1.price", "row2.service"}


def test_catalogue_save_replace_and_price(store):
    svc = PracticeService(store)
    svc.save_catalogue(default_catalogue())
    assert len(svc.catalogue()) == len(ServiceType)
    rows = [OfferingData("cmr", "Comprehensive review (home visit)", 75, 180.0),
            OfferingData("tmr", "Targeted review", 20, 0.0, active=False)]
    svc.save_catalogue(rows)
    assert svc.catalogue() == rows
    assert svc.price_of("cmr") == 180.0 and svc.price_of("tmr") is None
    with pytest.raises(ValidationError):
        svc.save_catalogue([OfferingData("cmr", "x", 60, -5.0)])
    assert svc.catalogue() == rows
