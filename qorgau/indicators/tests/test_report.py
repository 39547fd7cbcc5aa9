"""The annual report: its data from seed 002, its kk/ru narrative, and the DOCX and PDF it makes.

The index results come from :func:`indicators.report.sample.stand_in_index` (illustrative min-max over
a few seed 002 indicators, NOT the index engine) or are written out by hand where a sentence is checked.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from docx import Document

from indicators.report import annual, data, narrative, render, sample
from indicators.report.i18n import region_name, region_pcodes
from indicators.report.staticfiles import PlotlyBundleFinder
from indicators.seed002 import read_report

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def values():
    # Where test_seed002 looks: $QORGAU_SEEDS_DIR, seeds/ at the repository root, the shared folder.
    for candidate in (os.environ.get("QORGAU_SEEDS_DIR"), REPO_ROOT / "seeds", "/work/shared/seeds"):
        if candidate and Path(candidate, "002_15c1bbca033d1547.txt").is_file():
            text = Path(candidate, "002_15c1bbca033d1547.txt").read_text(encoding="utf-8")
            return read_report(text).values
    pytest.skip("seed 002 not found (set QORGAU_SEEDS_DIR)")


@pytest.fixture(scope="module")
def index(values):
    return sample.stand_in_index(values, 2022, region_pcodes())


def _hand_index(scores: dict[str, float], domain_scores: dict[str, float] | None = None) -> dict:
    """Index results written by hand: every region gets ``scores`` or 50, the domain "child" too."""
    regions = {}
    ranks = data.competition_ranks({p: scores.get(p, 50.0) for p in region_pcodes()})
    for pcode in region_pcodes():
        score = scores.get(pcode, 50.0)
        regions[pcode] = {
            "score": score,
            "zone": data.zone_of(score),
            "rank": ranks[pcode],
            "domains": {"child": (domain_scores or {}).get(pcode, 50.0)},
        }
    return {"year": 2022, "national": 55.0, "regions": regions}


def test_indicator_tables_carry_the_seed_figures_and_their_provenance(values, index) -> None:
    report = data.assemble(2022, "kk", values, index)
    children = next(t for t in report.tables if t.source_table == "2.1")
    assert children.domain == "child"
    # L832: "ҚР 6617000 ... 6717954 ..."; L834: "Абай 186790 ... 188851 ..." (start of 2022 and of 2023).
    assert [c.year for c in children.columns] == [2022, 2023]
    assert [cell.value for cell in children.rows["KAZ001"]] == [186790, 188851]
    assert [cell.value for cell in children.rows["KAZ"]] == [6617000, 6717954]
    assert children.provenance.startswith("Дереккөз: 002 құжаты, 2.1-кесте, 832–")
    # Table 2.5, L1860 "Абай 3 1,6": no 2021 figures (created in 2022), 3 suicides and 1.6 in 2022.
    suicides = next(t for t in report.tables if t.source_table == "2.5")
    by_column = dict(zip([(c.indicator, c.year) for c in suicides.columns], suicides.rows["KAZ001"], strict=True))
    assert by_column[("child_suicides", 2021)].value is None
    assert by_column[("child_suicides", 2022)].value == 3
    assert by_column[("child_suicide_rate", 2022)].value == 1.6
    # Table 2.2, L940: Akmola's 28.4 % does not match 224262 / 788023 (the reader's finding): marked.
    shares = next(t for t in report.tables if t.source_table == "2.2")
    assert shares.rows["KAZ002"][0] == data.Cell(28.4, doubtful=True) and shares.has_doubtful
    # Table 3.8 lists East Kazakhstan twice and North Kazakhstan not at all: neither is shown.
    housing = next(t for t in report.tables if t.source_table == "3.8")
    assert housing.rows["KAZ008"][0].value is None and housing.rows["KAZ015"][0].value is None
    # Every table has a row for each of the 20 regions and the country.
    assert all(sorted(t.rows) == sorted([*region_pcodes(), "KAZ"]) for t in report.tables)
    assert {t.domain for t in report.tables} == {"child", "family_society", "state_policy", "country_welfare"}


def test_russian_tables_are_named_in_russian(values, index) -> None:
    report = data.assemble(2022, "ru", values, index)
    titles = {t.source_table: t.title for t in report.tables}
    assert titles["2.1"] == "Численность детей в возрасте 0-17 лет"
    assert titles["2.8"].startswith("Число школ - участников МОДО (4 класс)")
    assert report.tables[0].provenance.startswith("Источник: документ 002, таблица 2.1, строки 832–")


def test_assemble_refuses_results_of_another_year(values) -> None:
    with pytest.raises(ValueError, match="2021"):
        data.assemble(2022, "kk", values, {"year": 2021, "regions": {}})


def test_competition_ranks_and_zones() -> None:
    assert data.competition_ranks({"a": 80.0, "b": 70.0, "c": 70.0, "d": 60.0, "e": None}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
        "e": None,
    }
    assert [data.zone_of(s) for s in (100, 75, 74.9, 50, 49.9, 0, None)] == [
        "high",
        "high",
        "medium",
        "medium",
        "low",
        "low",
        None,
    ]


def test_kazakh_narrative_names_top_and_bottom_three() -> None:
    scores = {"KAZ006": 82.4, "KAZ004": 78.0, "KAZ002": 76.5, "KAZ018": 31.0, "KAZ017": 35.5, "KAZ009": 40.0}
    report = data.assemble(2022, "kk", [], _hand_index(scores))
    paragraphs = narrative.domain_paragraphs(report, None)
    assert paragraphs[0] == (
        "Бала әл-ауқатының индексі бойынша ең жоғары балл жинаған өңірлер: Астана қаласы (82,4), "
        "Алматы қаласы (78,0) және Ақмола облысы (76,5). Ең төменгі балл жинаған өңірлер: "
        "Түркістан облысы (31,0), Шымкент қаласы (35,5) және Жамбыл облысы (40,0). "
        "Ең жоғары және ең төменгі балл арасындағы айырма — 51,4 балл."
    )
    assert paragraphs[1] == "Жоғары аймаққа 3 өңір, орташа аймаққа 14 өңір және төмен аймаққа 3 өңір кіреді."


def test_russian_narrative_agrees_numbers_and_names_ties() -> None:
    scores = {"KAZ006": 82.4, "KAZ004": 78.0, "KAZ002": 76.0, "KAZ011": 76.0, "KAZ018": 31.0}
    report = data.assemble(2022, "ru", [], _hand_index(scores, {"KAZ001": 20.0}))
    paragraphs = narrative.domain_paragraphs(report, None)
    # Akmola and Karaganda share the third place: both are named.
    assert paragraphs[0].startswith(
        "По индексу благополучия детей наибольшие баллы у следующих регионов: город Астана (82,4), "
        "город Алматы (78,0), Акмолинская область (76,0) и Карагандинская область (76,0)."
    )
    assert "Разрыв между наибольшим и наименьшим баллами составляет 51,4 балла." in paragraphs[0]
    assert paragraphs[1] == "В высокую зону — 4 региона, в среднюю зону — 15 регионов и в низкую зону — 1 регион."
    child = narrative.domain_paragraphs(report, "child", "Ребёнок")
    assert child[0].startswith("В домене «Ребёнок» наибольшие баллы")
    assert "Наименьшие баллы: область Абай (20,0)" in child[0]


def test_narrative_reports_regions_without_scores_and_changes() -> None:
    index = _hand_index({"KAZ006": 80.0})
    index["regions"]["KAZ015"]["score"] = None
    previous = _hand_index({"KAZ006": 70.0})
    previous["year"] = 2021
    report = data.assemble(2022, "kk", [], index, previous_index=previous)
    paragraphs = narrative.domain_paragraphs(report, None)
    assert "мына өңірлерге балл есептелмеді: Солтүстік Қазақстан облысы." in paragraphs[2]
    assert paragraphs[3] == "2021 жылмен салыстырғанда балы ең көп өскен өңірлер: Астана қаласы (+10,0)."


def test_plotly_bundle_finder_serves_the_installed_bundle() -> None:
    finder = PlotlyBundleFinder()
    assert finder.find("indicators/vendor/plotly.min.js") == str(render.PLOTLY_JS)
    assert finder.find("indicators/other.js") == []
    listed = list(finder.list([]))
    assert [(name, getattr(storage, "prefix", None)) for name, storage in listed] == [
        ("plotly.min.js", "indicators/vendor")
    ]


def test_plotly_css_is_the_one_of_the_installed_plotly() -> None:
    """indicators/plotly.css must be regenerated (render.write_plotly_css) when plotly is upgraded."""
    header = render.PLOTLY_CSS.read_text(encoding="utf-8").splitlines()[0]
    assert f"plotly.js {render.plotly_js_version()}" in header


# --- The generated files ----------------------------------------------------------------------------

LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def chromium():
    if not Path(render.chromium_path()).exists():
        pytest.skip(f"no Chromium at {render.chromium_path()}: install Debian's chromium")
    with render.Chromium() as browser:
        yield browser


@pytest.fixture(scope="module", params=["kk", "ru"])
def built(request, values, index, chromium):
    report = data.assemble(2022, request.param, values, index)
    return report, annual.build_docx(report, chromium=chromium), annual.build_pdf(report, chromium=chromium)


TITLES = {"kk": "Қазақстандағы балалардың жағдайы 2022", "ru": "Положение детей в Казахстане в 2022 году"}


def test_docx_opens_with_title_regions_maps_and_no_english(built) -> None:
    report, docx_bytes, _ = built
    document = Document(io.BytesIO(docx_bytes))
    texts = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert TITLES[report.language] in texts
    assert document.core_properties.title == TITLES[report.language]
    for pcode in region_pcodes():
        assert region_name(pcode, report.language) in cells, pcode
    # A map and a ranking chart for the index and each of the four domains.
    assert len(document.inline_shapes) == 10
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 10 and all(part.blob.startswith(b"\x89PNG") for part in images)
    # Nothing left in English (the document code "002" and figures are not words).
    english = [t for t in texts + cells if LATIN.search(t)]
    assert english == []


def test_pdf_opens_with_title_regions_and_coloured_map(built) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    report, _, pdf_bytes = built
    assert pdf_bytes.startswith(b"%PDF-")
    pdf = pdfium.PdfDocument(pdf_bytes)
    assert 15 <= len(pdf) <= 40
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert TITLES[report.language].split()[0] in pages[0]
    whole = " ".join(" ".join(page.split()) for page in pages)
    for pcode in region_pcodes():
        assert region_name(pcode, report.language) in whole, pcode
    assert not LATIN.search(whole)
    # The index chapter's page shows the map: many pixels of the medium and low zone colours.
    page = next(i for i, text in enumerate(pages) if "1.1" in text and i > 0)
    pixels = pdf[page].render(scale=1).to_numpy()[:, :, :3].reshape(-1, 3).astype(int)
    bgr = {"medium": (0x05, 0xB7, 0xF2), "low": (0x28, 0x28, 0xC6)}
    for zone, colour in bgr.items():
        close = (abs(pixels - colour).sum(axis=1) < 30).sum()
        assert close > 2000, zone
