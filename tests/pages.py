"""Helpers for reading pages in request-level tests."""


def page_text(response) -> str:
    """The HTML of a page that answered 200 (the status is asserted first)."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()
