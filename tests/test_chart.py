import datetime as dt
import re

from build_archive.chart import count_by_month, describe_months, render_month_chart


def dates(*texts: str) -> list[dt.date]:
    return [dt.date.fromisoformat(t) for t in texts]


def test_months_are_counted_with_the_empty_ones_in_between():
    months = count_by_month(dates("2015-11-30", "2016-02-01", "2016-02-20", "2015-11-01"))
    assert [(m.year, m.month, m.count) for m in months] == [
        (2015, 11, 2), (2015, 12, 0), (2016, 1, 0), (2016, 2, 2)]
    assert count_by_month([]) == []


def test_the_description_says_what_the_chart_shows():
    assert describe_months(count_by_month(dates("2016-04-20"))) == "1 article in April 2016."
    assert describe_months(count_by_month(dates("2015-06-14", "2016-04-20", "2016-04-21"))) == (
        "3 articles from June 2015 to April 2016; the busiest month was April 2016, with 2.")


def test_counts_in_the_thousands_are_written_with_a_separator():
    months = count_by_month(dates(*["1987-03-02"] * 6859, *["1987-10-20"] * 5462))
    assert describe_months(months) == (
        "12,321 articles from March 1987 to October 1987; the busiest month was March 1987, with 6,859.")
    assert "<title>March 1987: 6,859 articles</title>" in render_month_chart(months, title="usa", chart_id="c")


def test_the_chart_is_static_svg_with_a_text_alternative_and_one_bar_per_busy_month():
    months = count_by_month(dates("2014-12-01", "2015-06-14", "2016-04-20", "2016-04-21"))
    chart = render_month_chart(months, title="Articles per month about Derna", chart_id="chart-derna")
    assert "<script" not in chart and "\n\n" not in chart  # one raw HTML block for Markdown
    assert 'role="img" aria-labelledby="chart-derna-title chart-derna-desc"' in chart
    assert '<title id="chart-derna-title">Articles per month about Derna</title>' in chart
    assert "<figcaption>Articles per month about Derna: 4 articles from December 2014 to April 2016" in chart
    bars = re.findall(r'<rect class="archive-chart__bar"[^>]*height="([0-9.]+)"', chart)
    assert bars == ["50.00", "50.00", "100.00"]
    # December 2014 is too close to January 2015 for two labels: the year's start wins.
    assert re.findall(r">(\d{4})</span>", chart) == ["2015", "2016"]
    # Colours come from the theme (light and dark), with a fallback that is never invisible.
    assert 'fill="currentColor"' in chart and "#" not in re.sub(r'id="[^"]*"|&#\d+;', "", chart)


def test_year_labels_thin_out_over_long_spans():
    months = count_by_month(dates("1990-01-01", "2019-12-01"))
    chart = render_month_chart(months, title="t", chart_id="c")
    years = [int(y) for y in re.findall(r">(\d{4})</span>", chart)]
    assert 5 <= len(years) <= 11 and years[0] == 1990


def test_the_locator_shows_a_place_among_its_nearest_neighbours_without_tiles_or_script():
    from build_archive.chart import Point, render_locator

    derna = Point("Derna", 32.767, 22.637)
    others = [Point("Benghazi", 32.1167, 20.0667), Point("Tripoli", 32.8872, 13.1913),
              Point("al-Fatayeh", 32.6, 22.65)]
    svg = render_locator(derna, others, chart_id="locator-derna", region="Libya")
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org", "")
    assert '<title id="locator-derna-title">Where Derna is</title>' in svg
    assert "among the nearest places in Libya: al-Fatayeh, Benghazi, Tripoli." in svg
    circles = re.findall(r'<circle class="([^"]+)" cx="([0-9.]+)" cy="([0-9.]+)"', svg)
    assert [c[0] for c in circles] == ["archive-locator__here"] + ["archive-locator__other"] * 3
    x = {name: float(cx) for (_, cx, _), name in zip(circles, ["Derna", "al-Fatayeh", "Benghazi", "Tripoli"])}
    assert x["Tripoli"] < x["Benghazi"] < x["Derna"]  # west to east, to scale
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert labels[0] == "Derna" and "al-Fatayeh" not in labels  # too close to Derna to label
    assert render_locator(derna, [], chart_id="x", region="Libya") == ""
