"""The safe fetcher against a real HTTP server on 127.0.0.1: redirects, a loop, a 404, a 10 MB
page, an image, a slow server and private addresses each end in one clear message."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from bot.corpus.fetching import Fetcher, IPAddress, is_internal
from bot.errors import FetchError
from tests.news_site import BRIDGE, NewsSite


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite([BRIDGE]) as running:
        yield running


def allowed() -> Fetcher:
    return Fetcher(allow_private=True, timeout_s=0.5)


def message(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    text = str(caught.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_a_page_is_fetched_after_its_redirects(site: NewsSite) -> None:
    fetched = allowed().fetch(f"{site.base}/chuyen-huong")
    assert fetched.url == site.url(BRIDGE)
    assert BRIDGE.title in fetched.html() and isinstance(fetched.html(), str)
    assert site.requests == ["/chuyen-huong", "/chuyen-huong-2", f"/tin/{BRIDGE.slug}.html"]


def test_each_bad_answer_gives_one_clear_message(site: NewsSite) -> None:
    fetcher = allowed()
    assert "too many redirects (more than 5)" in message(fetcher, f"{site.base}/vong-lap")
    assert "answered 404 Not Found" in message(fetcher, f"{site.base}/khong-co")
    assert "larger than 5 MB" in message(fetcher, f"{site.base}/qua-lon")
    assert "not a web page (content type image/jpeg)" in message(fetcher, f"{site.base}/anh.jpg")
    # binary data sent as a page: its "text" would be indexed and answered as an article
    assert "sent binary data, not a web page" in message(fetcher, f"{site.base}/tep.html")
    assert "did not answer within 0.5 s" in message(fetcher, f"{site.base}/cham")
    assert "is not an http(s) link" in message(fetcher, "file:///etc/passwd")
    assert "is not an http(s) link" in message(fetcher, "javascript:alert(1)")


def test_private_addresses_are_refused_unless_allowed(site: NewsSite) -> None:
    refused = message(Fetcher(), site.url(BRIDGE))
    assert "refusing 127.0.0.1" in refused and "QABOT_ALLOW_PRIVATE_URLS=1" in refused
    assert "refusing localhost" in message(Fetcher(), site.url(BRIDGE).replace(
        "127.0.0.1", "localhost"))
    assert site.requests == []  # refused before any request
    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                    "224.0.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1"):
        assert is_internal(ipaddress.ip_address(address)), address
    for address in ("93.184.216.34", "2606:4700::1111", "113.160.1.1"):
        assert not is_internal(ipaddress.ip_address(address)), address


def test_a_redirect_into_a_forbidden_address_is_refused_after_the_redirect() -> None:
    # Two servers; here 127.0.0.1 counts as public and 127.0.0.2 as private, so the check
    # after the redirect is what refuses the second hop.
    with NewsSite([BRIDGE], host="127.0.0.2") as inner, NewsSite([]) as outer:
        outer.routes["/di-tiep"] = (302, {"Location": inner.url(BRIDGE)}, b"")

        def forbidden(address: IPAddress) -> bool:
            return str(address) == "127.0.0.2"

        refused = message(Fetcher(forbidden=forbidden), f"{outer.base}/di-tiep")
        assert "refusing 127.0.0.2" in refused
        assert outer.requests == ["/di-tiep"] and inner.requests == []


def test_no_cookie_is_sent_back(site: NewsSite) -> None:
    site.routes["/cookie"] = (302, {"Location": f"/tin/{BRIDGE.slug}.html",
                                    "Set-Cookie": "phien=bi-mat; Path=/"}, b"")
    allowed().fetch(f"{site.base}/cookie")
    assert site.requests == ["/cookie", f"/tin/{BRIDGE.slug}.html"]
    assert site.cookies == [None, None]
