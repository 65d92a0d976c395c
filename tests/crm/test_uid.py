import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from crm.validators import uid_normalise, validate_uid


@pytest.mark.parametrize(
    "raw",
    ["CHE-116.281.710", "che116281710", "CHE 116 281 710", "CHE-116.281.710 MWST"],
)
def test_uid_in_any_common_spelling_is_normalised_to_the_official_form(raw):
    assert uid_normalise(raw) == "CHE-116.281.710"


def test_valid_uid_passes():
    validate_uid("CHE-116.281.710")


def test_wrong_check_digit_is_named_as_such():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_uid("CHE-116.281.711")
        assert error.value.code == "uid_checksum"
        assert "check digit" in error.value.messages[0]


@pytest.mark.parametrize("raw", ["CHE-116.281", "ABC-116.281.710", "116281710x"])
def test_malformed_uid_is_named_a_format_error(raw):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_uid(raw)
        assert error.value.code == "uid_format"
        assert "CHE-123.456.789" in error.value.messages[0]


@pytest.mark.parametrize(
    ("language", "word"),
    [("de", "Prüfziffer"), ("fr", "chiffre de contrôle"), ("it", "cifra di controllo")],
)
def test_check_digit_error_speaks_the_users_language(language, word):
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            validate_uid("CHE-116.281.711")
        assert word in error.value.messages[0]
