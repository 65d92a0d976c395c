"""Tests that need a missing service skip on a laptop and fail in CI."""

import pytest

from tests.conftest import chromium_problem, redis_problem, require_service


def test_missing_service_skips_by_default(monkeypatch):
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)

    with pytest.raises(pytest.skip.Exception, match="Redis is not available: down"):
        require_service("Redis", False, "down")


def test_missing_service_fails_when_services_are_required(monkeypatch):
    monkeypatch.setenv("REQUIRE_SERVICES", "1")

    with pytest.raises(pytest.fail.Exception, match="REQUIRE_SERVICES=1"):
        require_service("Redis", False, "down")


def test_present_service_lets_the_test_run(monkeypatch):
    monkeypatch.setenv("REQUIRE_SERVICES", "1")

    require_service("Redis", True, "")


def test_detectors_name_what_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "chromium"))

    assert "no executable at" in chromium_problem()
    assert "127.0.0.1:1" in redis_problem("redis://127.0.0.1:1/0")
