"""Fetching a news page safely: http(s) only, redirects followed by hand (at most a few) with the
host's addresses checked before every request, so no hop reaches a loopback, private,
link-local or multicast address (unless allowed, for tests); a timeout on every wait and on
the whole fetch, a size cap, HTML only, no cookies, no JavaScript."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urljoin, urlsplit

import httpx

from bot.corpus.extraction import decoded
from bot.errors import FetchError

MAX_PAGE_BYTES = 5 * 1024 * 1024  # news pages are well under 1 MB; this leaves room
MAX_REDIRECTS = 5
TIMEOUT_S = 15.0  # each connect or read, and the whole fetch
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "qabot/0.1 (+article fetcher; question answering over news articles)"
REDIRECTS = (301, 302, 303, 307, 308)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class Page:
    """A fetched page: the URL it was finally read from, its bytes and declared charset."""

    url: str
    content: bytes
    encoding: str | None

    def html(self) -> bytes | str:
        """The page as text when the server named a charset its bytes are in (else bytes:
        the page's own `<meta charset>` decides, or UTF-8 when the bytes are UTF-8). A server
        naming the wrong one (UTF-8 for a windows-1258 page) would index replacement marks."""
        if not self.encoding:
            return self.content
        try:
            return self.content.decode(self.encoding)
        except LookupError:
            return self.content
        except UnicodeDecodeError:
            # The page's own declaration, or UTF-8 its bytes are in, decides (`decoded`);
            # else the server's charset it is, with the odd bad byte replaced.
            if isinstance(decoded(self.content), str):
                return self.content
            return self.content.decode(self.encoding, errors="replace")


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host} ({exc})") from None
    return sorted({str(info[4][0]) for info in found})


def is_internal(address: IPAddress) -> bool:
    """True for addresses a fetch from a link must never reach: loopback, private,
    link-local, multicast, reserved and unspecified ones (also inside an IPv4-mapped IPv6)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (address.is_loopback or address.is_private or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified)


def _no_cookies() -> CookieJar:
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class Fetcher:
    """Fetches pages by the rules in the module docstring. Collaborators are injectable: the
    resolver, the predicate for forbidden addresses, the clock and the limits."""

    def __init__(self, allow_private: bool = False, resolver: Resolver = resolve,
                 forbidden: Callable[[IPAddress], bool] = is_internal,
                 timeout_s: float = TIMEOUT_S, max_bytes: int = MAX_PAGE_BYTES,
                 max_redirects: int = MAX_REDIRECTS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.allow_private, self.resolver, self.forbidden = allow_private, resolver, forbidden
        self.timeout_s, self.max_bytes, self.max_redirects = timeout_s, max_bytes, max_redirects
        self.clock = clock

    def fetch(self, url: str) -> Page:
        """The page at `url`, after at most `max_redirects` redirects.

        Raises:
            FetchError: a bad or forbidden link, a network error, timeout, an error status,
                too many redirects, a page over the size cap or not HTML; one line each.
        """
        deadline = self.clock() + self.timeout_s
        with httpx.Client(timeout=self.timeout_s, follow_redirects=False, cookies=_no_cookies(),
                          headers={"User-Agent": USER_AGENT, "Accept": "text/html"}) as client:
            for _ in range(self.max_redirects + 1):
                self.check(url)
                try:
                    page, url = self._get(client, url, deadline)
                except httpx.TimeoutException:
                    raise FetchError(f"{url} did not answer within {self.timeout_s:g} s") from None
                except httpx.HTTPError as exc:
                    raise FetchError(f"cannot fetch {url} ({type(exc).__name__}: "
                                     f"{exc or 'no details'})") from None
                if page is not None:
                    return page
        raise FetchError(f"too many redirects (more than {self.max_redirects})")

    def check(self, url: str) -> None:
        """Refuse a link that is not http(s) or whose host resolves to a forbidden address.

        Raises:
            FetchError: it is refused; the message says why.
        """
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"{url!r} is not a valid link") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url!r} is not an http(s) link")
        if self.allow_private:
            return
        for found in self.resolver(parts.hostname, port):
            address = ipaddress.ip_address(found.split("%")[0])
            if self.forbidden(address):
                raise FetchError(f"refusing {parts.hostname}: it resolves to a private or "
                                 f"local address ({address}); set QABOT_ALLOW_PRIVATE_URLS=1 "
                                 "to allow that")

    def _get(self, client: httpx.Client, url: str, deadline: float
             ) -> tuple[Page | None, str]:
        """One request: the page, or None and the next URL when redirected."""
        with client.stream("GET", url) as response:
            if response.status_code in REDIRECTS and "location" in response.headers:
                return None, urljoin(url, response.headers["location"])
            if response.status_code >= 400:
                raise FetchError(f"{url} answered {response.status_code} "
                                 f"{response.reason_phrase}".rstrip())
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in HTML_TYPES:
                raise FetchError(f"{url} is not a web page (content type "
                                 f"{kind or 'missing'}); only HTML articles can be added")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_big(url)
            body = bytearray()
            for part in response.iter_bytes():
                body += part
                if len(body) > self.max_bytes:
                    raise self._too_big(url)
                if self.clock() > deadline:  # a server trickling bytes never times out a read
                    raise httpx.ReadTimeout("the whole fetch took too long")
            wide = (response.charset_encoding or "").lower().startswith(("utf-16", "utf-32"))
            if b"\x00" in body[:8192] and not wide:  # an archive or an image has many
                raise FetchError(f"{url} sent binary data, not a web page (content type "
                                 f"{kind}); only HTML articles can be added")
            return Page(str(response.url), bytes(body), response.charset_encoding), url

    def _too_big(self, url: str) -> FetchError:
        return FetchError(f"{url} is larger than {self.max_bytes // (1024 * 1024)} MB; "
                          "not a news article")
