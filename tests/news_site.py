"""A small Vietnamese news site on 127.0.0.1 for the tests: full article pages (header, menu,
ads, share buttons, comments, related articles, scripts around the article with its title,
date and captions) and the awkward answers a fetcher must handle: redirects, a redirect loop,
404, a 10 MB page, an image, a slow server."""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class NewsArticle:
    slug: str
    title: str
    date: str  # ISO, as the page's metadata gives it
    lead: str
    paragraphs: list[str]
    caption: str
    subheading: str
    items: list[str] = field(default_factory=list)
    canonical: bool = True
    # "figure": lead, <figure> caption, all inside <article>; "split" (as VnExpress lays
    # pages out): the lead outside <article>, the caption in a photo table, a related-news box
    # inside the article body
    layout: str = "figure"


BRIDGE = NewsArticle(
    slug="khanh-thanh-cau-treo-nam-rom",
    title="Khánh thành cầu treo Nậm Rốm nối hai bờ thành phố Điện Biên Phủ",
    date="2026-09-02",
    lead="Sáng 2/9, UBND tỉnh Điện Biên tổ chức lễ khánh thành cầu treo Nậm Rốm, công trình dài "
         "120 mét nối hai bờ sông tại phường Thanh Trường.",
    paragraphs=[
        "Cây cầu có tổng mức đầu tư 18,5 tỷ đồng từ nguồn ngân sách tỉnh, được khởi công vào "
        "tháng 3/2025 và hoàn thành sớm hơn kế hoạch hai tháng.",
        "Theo ông Lò Văn Tiến, Phó Chủ tịch UBND tỉnh, cầu giúp khoảng 4.000 người dân hai bản "
        "Co Mận và Púng Tôm đi lại thuận tiện, nhất là vào mùa mưa lũ.",
        "Trước đây, người dân phải đi vòng gần 7 km qua cầu Thanh Bình để sang trung tâm phường. "
        "Nhiều học sinh phải lội suối vào những ngày nước lên.",
        "Bà Quàng Thị Mai, người dân bản Co Mận, cho biết: “Có cầu rồi, các cháu đi học không "
        "còn phải lo mỗi khi trời mưa to.”"],
    caption="Cầu treo Nậm Rốm sau khi hoàn thành - Ảnh: Minh Anh",
    subheading="Đi lại an toàn hơn trong mùa mưa",
    items=["Mặt cầu rộng 3 mét cho xe máy và người đi bộ.",
           "Hệ thống chiếu sáng bằng năng lượng mặt trời.",
           "Hai trụ tháp bê tông cốt thép cao 15 mét."])

COFFEE = NewsArticle(
    slug="ca-phe-muong-ang-vao-vu-thu-hoach",
    title="Cà phê Mường Ảng vào vụ thu hoạch, giá tăng gần gấp đôi",
    date="2026-10-15",
    lead="Nông dân huyện Mường Ảng đang bước vào vụ thu hoạch cà phê với sản lượng ước đạt "
         "11.500 tấn quả tươi.",
    paragraphs=[
        "Giá cà phê quả tươi năm nay được thương lái thu mua ở mức 24.000 đồng mỗi kg, gần gấp "
        "đôi so với cùng kỳ năm trước.",
        "Toàn huyện hiện có hơn 3.200 ha cà phê, trong đó 600 ha đạt chứng nhận canh tác bền "
        "vững & được xuất khẩu sang châu Âu.",
        "Ông Vì Văn Sơn ở bản Hua Nạ cho biết gia đình thu về khoảng 180 triệu đồng từ 2 ha "
        "cà phê sau khi trừ chi phí."],
    caption="Nông dân Mường Ảng thu hái cà phê - Ảnh: Thanh Hà",
    subheading="Hướng tới sản xuất bền vững",
    layout="split")

# Text of the page around the article: none of it may become a passage.
CHROME = ["Thời sự", "Thể thao", "Quảng cáo", "Vay tiêu dùng", "Chia sẻ Facebook",
          "Sao chép liên kết", "Bình luận", "Cầu đẹp quá", "đường nhựa", "Tin liên quan",
          "sân bay với trung tâm", "Giấy phép số", "dataLayer", "JavaScript", "Trang chủ",
          "Đặt tour", "Viết bình luận", "Từ khóa", "Vì sao giá", "Xem nhiều", "Ý kiến"]


def body_lines(article: NewsArticle) -> list[str]:
    """What the reader sees as the article's text, in order (list items with their marker)."""
    start = ([article.lead, article.caption, *article.paragraphs[:2]]
             if article.layout == "figure" else
             [article.lead, article.paragraphs[0], article.caption, article.paragraphs[1]])
    return [*start, article.subheading, article.paragraphs[2],
            *(f"- {item}" for item in article.items), *article.paragraphs[3:]]


def page(article: NewsArticle, base: str) -> str:
    """A full news page holding `article`, as a Vietnamese news site serves it."""
    return (_figure_page if article.layout == "figure" else _split_page)(article, base)


def _split_page(article: NewsArticle, base: str) -> str:
    e = html.escape
    url = f"{base}/tin/{article.slug}.html"
    items = "".join(f"<li>{e(item)}</li>" for item in article.items)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(article.title)} - Báo Tây Bắc Mới</title>
<meta name="description" content="{e(article.lead)}">
<meta name="pubdate" content="{article.date}T09:15:00+07:00">
<meta itemprop="datePublished" content="{article.date}T09:15:00+07:00">
<meta property="og:site_name" content="Báo Tây Bắc Mới">
{f'<link rel="canonical" href="{e(url)}">' if article.canonical else ""}
<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished":
"{article.date}T09:15:00+07:00"}}</script></head>
<body><section class="top-header"><a href="/">Mới nhất</a> <a href="/">Trang chủ</a></section>
<nav class="main-nav"><ul><li>Thời sự</li><li>Góc nhìn</li><li>Thể thao</li></ul></nav>
<section class="section page-detail"><div class="sidebar-1">
<div class="header-content"><ul class="breadcrumb"><li>Kinh tế</li><li>Nông nghiệp</li></ul>
<span class="date">Thứ năm, {article.date}, 09:15 (GMT+7)</span></div>
<h1 class="title-detail">{e(article.title)}</h1>
<p class="description">{e(article.lead)}</p>
<article class="fck_detail">
<p class="Normal">{e(article.paragraphs[0])}</p>
<table class="tplCaption" align="center"><tbody><tr><td><img alt="ảnh" src="/anh/2.jpg"></td>
</tr><tr><td><p class="Image">{e(article.caption)}</p></td></tr></tbody></table>
<p class="Normal">{e(article.paragraphs[1])}</p>
<div class="box-tinlienquanv2"><article class="item-news"><h4 class="title-news">
<a href="/a3">Vì sao giá nông sản tăng cao?</a></h4></article></div>
<h2>{e(article.subheading)}</h2>
<p class="Normal">{e(article.paragraphs[2])}</p>
{f"<ul>{items}</ul>" if items else ""}
{"".join(f'<p class="Normal">{e(p)}</p>' for p in article.paragraphs[3:])}
</article>
<div class="footer-content"><div class="box-tag">Từ khóa: cà phê</div>
<div class="social">Chia sẻ Facebook</div></div>
<div id="box_comment"><h3>Ý kiến (12)</h3><div class="comment_item"><p class="full_content">
Bao giờ thì có đường nhựa vào bản vậy?</p></div></div></div></section>
<section class="section box-category"><h3>Xem nhiều</h3><ul><li>Thể thao hôm nay</li></ul>
</section><div class="ads">Quảng cáo: Vay tiêu dùng lãi suất 0%</div>
<footer>Giấy phép số 123/GP-BTTTT. Thuộc Báo Tây Bắc Mới.</footer>
<script>window.dataLayer=[]; document.write("Quảng cáo chạy bằng JavaScript");</script>
</body></html>"""


def _figure_page(article: NewsArticle, base: str) -> str:
    e = html.escape
    url = f"{base}/tin/{article.slug}.html"
    canonical = (f'<link rel="canonical" href="{e(url)}">\n<meta property="og:url" '
                 f'content="{e(url)}">' if article.canonical else "")
    items = "".join(f"<li>{e(item)}</li>" for item in article.items)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{e(article.title)} | Báo Tây Bắc Mới</title>
<meta property="og:title" content="{e(article.title)}">
<meta property="og:site_name" content="Báo Tây Bắc Mới">
{canonical}
<meta property="article:published_time" content="{article.date}T08:30:00+07:00">
<script>window.dataLayer=[];function gtag(){{dataLayer.push(arguments)}}</script>
<style>.menu{{color:red}}</style></head>
<body>
<header class="site-header"><div class="logo"><a href="/">Báo Tây Bắc Mới</a></div>
<nav class="main-menu"><ul><li><a href="/thoi-su">Thời sự</a></li><li><a href="/kinh-te">Kinh
tế</a></li><li><a href="/the-thao">Thể thao</a></li></ul></nav>
<div class="ads banner-top">Quảng cáo: Vay tiêu dùng lãi suất 0%, duyệt trong 5 phút</div>
</header>
<main><article class="article-detail">
<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/xa-hoi">Xã hội</a></div>
<h1 class="article-title">{e(article.title)}</h1>
<div class="meta"><span class="author">Minh Anh</span> ·
<time datetime="{article.date}T08:30:00+07:00">{article.date}</time></div>
<div class="share"><a href="#">Chia sẻ Facebook</a> <a href="#">Zalo</a>
<a href="#">Sao chép liên kết</a></div>
<p class="sapo"><strong>{e(article.lead)}</strong></p>
<figure><img src="/anh/1.jpg" alt="ảnh"><figcaption>{e(article.caption)}</figcaption></figure>
{"".join(f"<p>{e(p)}</p>" for p in article.paragraphs[:2])}
<h2>{e(article.subheading)}</h2>
<p>{e(article.paragraphs[2])}</p>
{f"<ul>{items}</ul>" if items else ""}
{"".join(f"<p>{e(p)}</p>" for p in article.paragraphs[3:])}
<div class="tags">Từ khóa: <a href="#">Điện Biên</a></div>
</article>
<div class="ads inline-ad">Quảng cáo: Đặt tour Điện Biên - Mường Phăng giá sốc</div>
<section class="comments"><h3>Bình luận (2)</h3>
<div class="comment"><b>Tuấn</b>: Cầu đẹp quá, mong tỉnh làm thêm cầu ở bản tôi.</div>
<div class="comment"><b>Hoa</b>: Bao giờ thì có đường nhựa vào bản Púng Tôm vậy?</div>
<form><textarea>Viết bình luận của bạn...</textarea><button>Gửi</button></form></section>
<section class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/a1">Điện Biên khởi công đường nối sân bay với trung tâm thành phố</a></li>
<li><a href="/a2">Mưa lũ gây sạt lở nhiều tuyến đường ở Mường Nhé</a></li></ul></section>
</main>
<footer><p>© 2026 Báo Tây Bắc Mới. Giấy phép số 123/GP-BTTTT.</p></footer>
<script>document.write("Quảng cáo chạy bằng JavaScript");</script>
</body></html>"""


class NewsSite:
    """The site, serving `articles` at /tin/<slug>.html, plus the awkward routes."""

    SLOW_S = 3.0
    BIG_BYTES = 10 * 1024 * 1024

    def __init__(self, articles: list[NewsArticle], host: str = "127.0.0.1") -> None:
        self.articles = {f"/tin/{a.slug}.html": a for a in articles}
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}  # extra fixed answers
        self.requests: list[str] = []
        self.cookies: list[str | None] = []  # the Cookie header of each request
        self._server = ThreadingHTTPServer((host, 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, article: NewsArticle) -> str:
        return f"{self.base}/tin/{article.slug}.html"

    def __enter__(self) -> NewsSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        if path in self.routes:
            return self.routes[path]
        if path in self.articles:
            return 200, html_type, page(self.articles[path], self.base).encode("utf-8")
        if path == "/chuyen-huong":  # moved twice, then the bridge article
            return 301, {"Location": "/chuyen-huong-2"}, b""
        if path == "/chuyen-huong-2":
            return 302, {"Location": f"/tin/{BRIDGE.slug}.html"}, b""
        if path.startswith("/vong-lap"):
            return 302, {"Location": f"/vong-lap{len(path)}"}, b""
        if path == "/anh.jpg":
            return 200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff\xe0" + b"\0" * 100
        if path == "/tep.html":  # an archive a misconfigured server calls a page
            return 200, html_type, b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
        return 404, html_type, "<h1>Không tìm thấy trang</h1>".encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.requests.append(self.path)
                site.cookies.append(self.headers.get("Cookie"))
                if self.path == "/cham":
                    time.sleep(site.SLOW_S)
                if self.path == "/qua-lon":  # no Content-Length: the cap must hold while reading
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    chunk = b"<p>" + "Tin dài. ".encode() * 1000 + b"</p>\n"
                    sent = 0
                    try:
                        while sent < site.BIG_BYTES:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except OSError:
                        pass  # the fetcher hung up, as it should
                    return
                status, headers, body = site.answer(self.path)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
