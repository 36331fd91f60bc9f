"""Charts render Chinese labels without missing glyphs, in a deterministic way, from printed values."""

from __future__ import annotations

import warnings

import pytest
from seed_fixture import hand_disclosure

from budgetkit.present import charts, fonts


def _render_strict(fig) -> bytes:
    """PNG bytes with every warning an error (a missing glyph warns at draw time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return charts.png_bytes(fig)


def _labels(fig) -> list[str]:
    return [t.get_text().replace("\n", "") for t in fig.axes[0].get_yticklabels()]


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_every_chart_renders_chinese_without_missing_glyphs(name):
    fig = charts.CHARTS[name](hand_disclosure())
    png = _render_strict(fig)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    assert "长治市屯留区财政局 2024年" in fig.axes[0].get_title()


def test_year_over_year_renders_both_years():
    fig = charts.year_over_year(hand_disclosure(2024), hand_disclosure(2023, scale=2))
    _render_strict(fig)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["2023年", "2024年"]
    # T3 基本支出 714.11 (2024) vs 2 × 714.11 = 1428.22 (made-up 2023): change −714.11
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "-714.11" in texts


def test_missing_cjk_font_is_detected(monkeypatch):
    """The strict render really fails when the CJK fallback is taken out of the family list."""
    monkeypatch.setattr(fonts, "FONT_FAMILIES", [fonts.LATIN_FAMILY])
    fig = charts.basic_vs_project(hand_disclosure())
    with pytest.raises(UserWarning, match=r"Glyph \d+ .* missing from font\(s\) DejaVu Sans"):
        _render_strict(fig)


def test_minus_sign_and_digits_stay_in_dejavu():
    from matplotlib.font_manager import FontProperties, findfont

    fonts.register_cjk_font()
    assert fonts.rc_params()["font.family"][0] == "DejaVu Sans"
    assert "DejaVuSans" in findfont(FontProperties(family=fonts.rc_params()["font.family"]))
    assert fonts.cjk_font_path().name == "NotoSansCJKsc-Regular.otf"


def test_functional_structure_uses_t3_class_rows_in_printed_order():
    fig = charts.functional_structure(hand_disclosure())
    # seed lines 282-316: classes 201, 205, 208, 210, 221
    assert _labels(fig) == ["201 一般公共服务支出", "205 教育支出", "208 社会保障和就业支出", "210 卫生健康支出",
                            "221 住房保障支出"]
    # 1537.92 of the printed 合计 1716.73 = 89.58%
    assert "1537.92（89.58%）" in [t.get_text() for t in fig.axes[0].texts]


def test_projects_ranked_largest_first():
    fig = charts.projects_ranked(hand_disclosure())
    labels = _labels(fig)
    assert labels[0] == "财政性建设资金投资项目工程预决（结）算评审费"  # 200.00
    assert labels[1] == "财政一体化管理系统运行维护费"  # 165.45
    assert labels[-1] == "资产台账运维费"  # 0.30
    assert "长治市屯留区财政局" not in labels  # unit subtotal rows are not projects


def test_basic_and_personnel_split_from_total_rows():
    texts = [t.get_text() for t in charts.basic_vs_project(hand_disclosure()).axes[0].texts]
    # T3 合计 row, seed line 280: shares of 714.11 + 1002.61 = 1716.72 (the printed 合计 says 1716.73)
    assert texts == ["714.11（41.60%）", "1002.61（58.40%）"]
    texts = [t.get_text() for t in charts.personnel_vs_public(hand_disclosure()).axes[0].texts]
    assert texts == ["685.11（96.01%）", "28.44（3.99%）"]  # T6 合计 row, seed line 534


def test_funding_sources_skip_blank_lines():
    fig = charts.funding_sources(hand_disclosure())
    assert _labels(fig) == ["一、一般公共预算", "上年结转"]  # 1664.74 and 51.99; 政府性基金 blank


def test_save_chart_is_deterministic(tmp_path):
    a = charts.save_chart(charts.projects_ranked(hand_disclosure()), tmp_path / "a.png").read_bytes()
    b = charts.save_chart(charts.projects_ranked(hand_disclosure()), tmp_path / "b.png").read_bytes()
    assert a == b
    assert b"tIME" not in a and b"Matplotlib" not in a


def test_missing_table_is_a_one_line_error():
    d = hand_disclosure()
    del d.tables["T6"]
    with pytest.raises(charts.ChartDataMissing, match="缺少表6"):
        charts.personnel_vs_public(d)


def test_charts_a_format_cannot_draw_say_why_in_chinese():
    """The national 部门决算 (财政局 2024): 表6 一般公共预算财政拨款基本支出决算表 prints one 决算数 column by
    economic class (p16, 301… and 302… side by side), so there is no 人员经费/公用经费 column to draw, and the format has no project
    table; both charts are skipped with a Chinese reason, the others are drawn."""
    from project_files import SAMPLES

    from budgetkit.checks import run_rules
    from budgetkit.extract import parse_source
    from budgetkit.present import report

    d = parse_source(SAMPLES / "shanghai-putuo-finance-2024-final-accounts.pdf")
    notes = {name: (png is not None, note)
             for name, png, note in report.chart_images(report.Audit(disclosure=d, checks=run_rules(d)))}
    assert notes["functional_structure"][0] and notes["basic_vs_project"][0]
    assert not notes["personnel_vs_public"][0] and "没有“人员经费”列" in notes["personnel_vs_public"][1]
    assert not notes["projects_ranked"][0] and "本格式" in notes["projects_ranked"][1]
    from budgetkit.present.charts import chart_title

    assert chart_title(d, "projects_ranked") == "项目支出排序（本格式无此表）"  # never a role key
    assert all(not any("a" <= ch <= "z" for ch in note.split("（")[0]) for _, note in notes.values() if note)


def _savefig_pixels(fig):
    """The RGBA pixels matplotlib's own savefig writes (layout pass, then the drawing pass) with the charts' settings."""
    import io

    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(fonts.rc_params()):
        fig.savefig(buf, format="png", dpi=charts.DPI, metadata={"Software": None})
    return _pixels(buf.getvalue())


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_one_pass_png_has_the_pixels_savefig_writes(name):
    png = charts.png_bytes(charts.CHARTS[name](hand_disclosure()))
    assert (_pixels(png) == _savefig_pixels(charts.CHARTS[name](hand_disclosure()))).all()
    assert png[25] == 2  # IHDR colour type 2: RGB, the figure being opaque


def test_one_pass_png_of_year_over_year_has_the_pixels_savefig_writes():
    make = lambda: charts.year_over_year(hand_disclosure(2024), hand_disclosure(2023, scale=2))  # noqa: E731
    assert (_pixels(charts.png_bytes(make())) == _savefig_pixels(make())).all()


def _charts_of(d, prior):
    return [(name, lambda f=f: f(d)) for name, f in charts.CHARTS.items()] + \
        [("year_over_year", lambda: charts.year_over_year(d, prior))]


def _inside_figure(fig) -> bool:
    """Every drawn artist (texts not clipped to the axes included) lies within the figure."""
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    w, h = fig.get_size_inches()
    return box.x0 >= 0 and box.y0 >= 0 and box.x1 <= w + 1e-3 and box.y1 <= h + 1e-3


@pytest.mark.parametrize("name", sorted(charts.CHARTS) + ["year_over_year"])
def test_measured_layout_places_the_axes_where_constrained_layout_does(name):
    """The margins measured once equal constrained layout's (to a tenth of a pixel) on ordinary charts."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    make = dict(_charts_of(hand_disclosure(2024), hand_disclosure(2023, scale=2)))[name]
    measured, constrained = make(), make()
    constrained.set_layout_engine(ConstrainedLayoutEngine())
    charts.png_bytes(measured), charts.png_bytes(constrained)
    assert measured.axes[0].bbox.extents == pytest.approx(constrained.axes[0].bbox.extents, abs=0.1)
    assert _inside_figure(measured)


def test_measured_layout_keeps_long_titles_big_amounts_and_wide_annotations_inside():
    """A department name longer than the axes, amounts shown with an offset ('1e9') and annotations reaching
    past the axes: all of it stays within the figure (constrained layout cuts such a title)."""
    long_name = hand_disclosure()
    long_name.meta.department = "某某省某某市某某县人民政府某某某某某某某某管理委员会办公室下属某某中心"
    big = hand_disclosure(scale=10**7)
    figures = [make() for make in dict(_charts_of(long_name, hand_disclosure(2023))).values()]
    figures += [make() for make in dict(_charts_of(big, hand_disclosure(2023, scale=3 * 10**7))).values()]
    for fig in figures:
        _render_strict(fig)
        assert _inside_figure(fig), fig.axes[0].get_title()
    assert any(fig.axes[0].xaxis.offsetText.get_text() for fig in figures)
