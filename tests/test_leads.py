"""A news story's dateline lead names the event, the place and the date: it ranks a little
below the paragraphs that give the figures asked."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.config import Settings
from bot.embedding.models import SentenceTransformerEmbedder
from bot.engine import Engine
from bot.retrieval.fusion import opens_with_dateline

NEWS = Path(__file__).parent / "data" / "news"


def test_a_lead_opens_with_the_time_and_date_of_the_event() -> None:
    for lead in ("Sáng 25/11/2025, UBND tỉnh Đồng Tháp tổ chức lễ khởi công",
                 "Chiều 16/7, Sở Giáo dục và Đào tạo Nghệ An công bố",
                 "Rạng sáng 22/11/2025, một vụ cháy lớn xảy ra",
                 "Ngày 11 tháng 11, UBND tỉnh Vĩnh Long tổ chức hội nghị",
                 # after an agency's or a place's tag
                 "(Chinhphu.vn) - Sáng 30/10, Tổng Bí thư Tô Lâm làm việc",
                 "ĐIỆN BIÊN - Chiều 30/10/2025, Tổng Bí thư Tô Lâm làm việc"):
        assert opens_with_dateline(lead), lead
    for other in ("Tham dự buổi làm việc có các đồng chí Ủy viên Bộ Chính trị",
                  "Năm 2025, tỉnh đạt 1.000 tỷ đồng",
                  "Theo ông A - Sáng 1/1, x",  # no tag in capitals
                  "Dự án có tổng vốn đầu tư 4.860 tỷ đồng"):
        assert not opens_with_dateline(other), other


def test_figures_asked_come_from_the_paragraphs_below_the_lead(
        tmp_path: Path, cache_dir: Path, embedder: SentenceTransformerEmbedder) -> None:
    """Both had the lead first (rt22, rt23): it names the province, the campaign or the bridge,
    and gives no figure."""
    sources = tmp_path / "source_text"
    shutil.copytree(NEWS, sources)
    engine = Engine(Settings(sources=sources, index=tmp_path / "index", cache=cache_dir),
                    load_model=lambda name: embedder)
    engine.refresh()
    for question, figure in [
            ("How much money in traffic fines did Nghệ An collect in ten months?", "214,5 tỷ đồng"),
            ("What is tổng vốn đầu tư của cầu Mỹ An?", "4.860 tỷ đồng")]:
        found = engine.answer(question, 3)
        assert found.answered and figure in found.passages[0].text, question
