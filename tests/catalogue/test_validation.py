"""The clean_* checks: the shortcut for plain URLs agrees with the full check."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from peerladder.catalogue.validation import clean_url


def accepted_by_urlsplit(value: str) -> bool:
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(c.isspace() for c in value)
        and len(value) <= 1000
    )


url_like = st.builds(
    lambda scheme, host, rest: f"{scheme}{host}{rest}",
    st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "https:/", ""]),
    st.text(alphabet="abcxyz.-:[]0123456789é ", max_size=20),
    st.text(max_size=30),
)


@given(url_like)
def test_clean_url_accepts_exactly_what_urlsplit_accepts(value):
    errors = []
    cleaned = clean_url(value, errors, field="url")
    assert (errors == []) == accepted_by_urlsplit(value), (value, cleaned)
    if not errors:
        assert cleaned == value.strip()


def test_clean_url_names_the_field_of_a_bad_url():
    errors = []
    assert clean_url("https://example.org/a b", errors, field="website") == ""
    assert errors[0].field == "website"
