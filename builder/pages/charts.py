"""Charts as inline SVG strings: the timeline and the trend charts. No charting library.

Pure functions of the records, so each chart has an expected-output (golden) file. Colours are
never written into the SVG: elements carry classes (mm-c1 … mm-c8, mm-axis, …) that
site/assets/atlas.css maps to CSS variables, so light and dark schemes both work. Text is
12px in user units and the SVGs are drawn at their natural size (scroll, not shrink), so
labels stay readable however many models there are.
"""
from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import escape

from schema import ModelRecord

from schema import vocabularies as vocab

from builder.data.families import family_of
from builder.data.trees import STAGE_OF, io_groups, io_text, io_words

FONT = 12  # px
CHAR_W = 6.8  # a generous average glyph width at 12px, to keep estimated labels apart
PALETTE = 8  # classes mm-c1 … mm-c8 in atlas.css


def e(text: object) -> str:
    return str(escape(str(text)))


def text_width(text: str) -> float:
    return len(text) * CHAR_W


def _svg_open(width: float, height: float, ident: str, title: str, desc: str,
              role: str = "img", scale: bool = False) -> str:
    size = (f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}"'
            + (' class="mm-svg mm-svg-scale"' if scale else ' class="mm-svg"'))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" {size} role="{role}" '
            f'aria-labelledby="{ident}-title {ident}-desc" font-size="{FONT}">\n'
            f'<title id="{ident}-title">{e(title)}</title>\n'
            f'<desc id="{ident}-desc">{e(desc)}</desc>')


# -- time ----------------------------------------------------------------------------------

def month_index(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


# -- timeline ------------------------------------------------------------------------------

PX_MONTH = 64
ROW_H = 18
GUTTER = 16
LANE_HEAD = 20
LANE_GAP = 8
AXIS_H = 34


@dataclass(frozen=True)
class Placed:
    model: ModelRecord
    x: float
    row: int


def pack_rows(items: list[tuple[ModelRecord, float, float]], gap: float = 8) -> list[Placed]:
    """Greedy interval packing: each (model, x, width) goes in the first row where it fits."""
    ends: list[float] = []
    out = []
    for model, x, width in items:
        for row, end in enumerate(ends):
            if end + gap <= x:
                ends[row] = x + width
                break
        else:
            row = len(ends)
            ends.append(x + width)
        out.append(Placed(model, x, row))
    return out


def timeline_svg(models: list[ModelRecord], prefix: str = "../") -> str:
    """Every model as a dot and a linked label at its date, one lane per I->O category."""
    if not models:
        return ""
    first = month_index(min(m.date for m in models))
    last = month_index(max(m.date for m in models)) + 1
    # label overhang past the last month
    max_label = max(text_width(m.name) for m in models) + 12

    def x_of(d: dt.date) -> float:
        days = (dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1) - dt.date(d.year, d.month, 1)).days
        return GUTTER + (month_index(d) - first + (d.day - 1) / days) * PX_MONTH

    width = GUTTER + (last - first) * PX_MONTH + max_label
    lanes = []
    y = AXIS_H
    for cat, members in io_groups(models):
        placed = pack_rows([(m, x_of(m.date), 10 + text_width(m.name)) for m in members])
        rows = max(p.row for p in placed) + 1
        height = LANE_HEAD + rows * ROW_H + LANE_GAP
        lanes.append((cat, members, placed, y, height))
        y += height
    height = y + AXIS_H

    n_cat = len(lanes)
    span = f"{month_start(first):%B %Y} to {month_start(last - 1):%B %Y}"
    out = [_svg_open(width, height, "mm-timeline", "Timeline of multimodal LLMs",
                     f"{len(models)} models placed by release date from {span}, in {n_cat} lanes, "
                     "one per I→O category. Each label links to the model's page.",
                     role="group")]
    # axis: a line per month, labels at quarter starts, stronger line and year at January
    out.append('<g class="mm-axis" aria-hidden="true">')
    for i in range(first, last + 1):
        xx = GUTTER + (i - first) * PX_MONTH
        month = i % 12
        cls = "mm-grid-year" if month == 0 else "mm-grid"
        out.append(f'<line class="{cls}" x1="{xx:g}" y1="{AXIS_H - 6}" x2="{xx:g}" y2="{height - AXIS_H + 6}"/>')
        if i < last and (month % 3 == 0 or i == first):
            label = f"{MONTHS[month]} {i // 12}" if month == 0 or i == first else MONTHS[month]
            for ty in (AXIS_H - 12, height - AXIS_H + 22):
                out.append(f'<text class="mm-axis-label" x="{xx + 3:g}" y="{ty}">{e(label)}</text>')
    out.append("</g>")
    for n, (cat, members, placed, top, lane_h) in enumerate(lanes):
        label = io_text(cat)
        out.append(f'<g class="mm-lane" role="list" aria-label="{e(label)}: {len(members)} model'
                   f'{"" if len(members) == 1 else "s"}">')
        out.append(f'<rect class="mm-lane-bg{" mm-lane-alt" if n % 2 else ""}" x="0" y="{top}" '
                   f'width="{width:g}" height="{lane_h - 2}"/>')
        out.append(f'<text class="mm-lane-label" x="4" y="{top + 14}">{e(label)} '
                   f'<tspan class="mm-lane-count">({len(members)} · {e(io_words(cat))})</tspan></text>')
        # repeat the lane's name at each January, so it stays in view while scrolling
        head = f"{label} ({len(members)} · {io_words(cat)})"
        for i in range(first + 1, last):
            xx = GUTTER + (i - first) * PX_MONTH
            if i % 12 == 0 and xx > 4 + text_width(head) + 16:
                out.append(f'<text class="mm-lane-label mm-lane-repeat" x="{xx + 4:g}" y="{top + 14}" '
                           f'aria-hidden="true">{e(label)}</text>')
        for p in placed:
            m = p.model
            cy = top + LANE_HEAD + p.row * ROW_H + ROW_H / 2
            out.append(f'<a role="listitem" href="{prefix}models/{e(m.id)}/">'
                       f'<title>{e(m.name)}, {m.date.isoformat()}, {e(label)}</title>'
                       f'<circle class="mm-dot" cx="{p.x:.1f}" cy="{cy:g}" r="4"/>'
                       f'<text class="mm-label" x="{p.x + 7:.1f}" y="{cy + 4:g}">{e(m.name)}</text></a>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


# -- periods -------------------------------------------------------------------------------

def period_unit(models: list[ModelRecord]) -> str:
    """'quarter' when quarters hold enough models to compare shares, else 'half'."""
    if not models:
        return "quarter"
    first = min(m.date for m in models)
    last = max(m.date for m in models)
    quarters = (last.year - first.year) * 4 + (last.month - 1) // 3 - (first.month - 1) // 3 + 1
    return "quarter" if len(models) / quarters >= 6 else "half"


def period_of(d: dt.date, unit: str) -> str:
    return f"{d.year} Q{(d.month - 1) // 3 + 1}" if unit == "quarter" else f"{d.year} H{(d.month - 1) // 6 + 1}"


def period_range(models: list[ModelRecord], unit: str) -> list[str]:
    """Every period from the first model's to the last's, empty ones included."""
    step = 3 if unit == "quarter" else 6
    first = min(m.date for m in models)
    last = max(m.date for m in models)
    i = month_index(first) // step * step
    out = []
    while i <= month_index(last):
        out.append(period_of(month_start(i), unit))
        i += step
    return out


# -- series --------------------------------------------------------------------------------

@dataclass
class Series:
    label: str
    counts: list[int]
    cls: str = ""  # css class; defaults to a palette colour

    @property
    def total(self) -> int:
        return sum(self.counts)


NOT_REPORTED = "Not reported"


def stage_labels(model: ModelRecord, kind: str) -> set[str]:
    """The groups a model counts under for a trend: families, main projector types, or absence."""
    value = getattr(model.architecture, STAGE_OF[kind]) if model.architecture else "unknown"
    if value == "none":
        return {"None"}
    if isinstance(value, str):
        return {NOT_REPORTED}
    if kind == "projector":
        return {vocab.projector_types()[p.types[0]].label for p in value}
    return {family_of(kind, item) for item in value}


def category_series(models: list[ModelRecord], periods: list[str], unit: str, labels_of,
                    top: int = PALETTE - 1, pinned_last: tuple[str, ...] = (NOT_REPORTED,)) -> list[Series]:
    """Counts of models per label per period; beyond `top` labels, the rest are merged."""
    index = {p: i for i, p in enumerate(periods)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(periods))
    for m in models:
        for label in labels_of(m):
            counts[label][index[period_of(m.date, unit)]] += 1
    ranked = sorted((lab for lab in counts if lab not in pinned_last),
                    key=lambda lab: (-sum(counts[lab]), lab.lower()))
    series = [Series(lab, counts[lab]) for lab in ranked[:top]]
    rest = ranked[top:]
    if rest:
        merged = [sum(counts[lab][i] for lab in rest) for i in range(len(periods))]
        series.append(Series(f"{len(rest)} other{'s' if len(rest) > 1 else ''}", merged, "mm-c-other"))
    for lab in pinned_last:
        if lab in counts:
            series.append(Series(lab, counts[lab], "mm-c-na"))
    for n, s in enumerate(series, 1):
        s.cls = s.cls or f"mm-c{n}"
    return series


# -- stacked bars --------------------------------------------------------------------------

BAR_W = 34
BAR_GAP = 14
PLOT_H = 220
LEFT = 44
TOP = 16


def stacked_bars_svg(ident: str, title: str, desc: str, periods: list[str], series: list[Series],
                     share: bool = True) -> str:
    """Vertical stacked bars, one per period; `share` scales each bar to 100%."""
    totals = [sum(s.counts[i] for s in series) for i in range(len(periods))]
    top_value = 100 if share else max(max(totals, default=0), 1)
    plot_w = len(periods) * (BAR_W + BAR_GAP)
    legend_y = TOP + PLOT_H + 40
    legend_rows = len(series)
    width = max(LEFT + plot_w + 10, 260)
    height = legend_y + legend_rows * 18 + 6
    out = [_svg_open(width, height, ident, title, desc, scale=True)]
    out.append('<g class="mm-axis" aria-hidden="true">')
    ticks = [0, 25, 50, 75, 100] if share else _nice_ticks(top_value)
    for t in ticks:
        yy = TOP + PLOT_H - t / top_value * PLOT_H
        out.append(f'<line class="mm-grid" x1="{LEFT}" y1="{yy:.1f}" x2="{LEFT + plot_w:g}" y2="{yy:.1f}"/>')
        out.append(f'<text class="mm-axis-label" x="{LEFT - 4}" y="{yy + 4:.1f}" text-anchor="end">'
                   f'{t:g}{"%" if share else ""}</text>')
    out.append("</g>")
    for i, period in enumerate(periods):
        x = LEFT + i * (BAR_W + BAR_GAP) + BAR_GAP / 2
        base = TOP + PLOT_H
        for s in series:
            v = s.counts[i]
            if not v:
                continue
            h = (v / totals[i] * 100 if share else v) / top_value * PLOT_H
            base -= h
            pct = f" ({v / totals[i]:.0%})" if share else ""
            out.append(f'<rect class="{s.cls}" x="{x:g}" y="{base:.1f}" width="{BAR_W}" height="{h:.1f}">'
                       f'<title>{e(period)}: {e(s.label)} {v}{pct}</title></rect>')
        out.append(f'<text class="mm-axis-label" x="{x + BAR_W / 2:g}" y="{TOP + PLOT_H + 14}" '
                   f'text-anchor="middle">{e(period.split()[1])}</text>')
        if i == 0 or period.split()[0] != periods[i - 1].split()[0]:
            out.append(f'<text class="mm-axis-label" x="{x + BAR_W / 2:g}" y="{TOP + PLOT_H + 28}" '
                       f'text-anchor="middle">{e(period.split()[0])}</text>')
        if not totals[i]:
            out.append(f'<text class="mm-axis-label" x="{x + BAR_W / 2:g}" y="{TOP + PLOT_H - 4}" '
                       f'text-anchor="middle">0</text>')
    for n, s in enumerate(series):
        yy = legend_y + n * 18
        out.append(f'<rect class="{s.cls}" x="{LEFT}" y="{yy - 10}" width="12" height="12"/>'
                   f'<text class="mm-legend" x="{LEFT + 18}" y="{yy}">{e(s.label)} ({s.total})</text>')
    out.append("</svg>")
    return "\n".join(out)


def _nice_ticks(top: float) -> list[float]:
    step = 10 ** math.floor(math.log10(top)) if top >= 1 else 1
    for m in (1, 2, 5, 10):
        if top / (step * m) <= 5:
            step *= m
            break
    return [step * k for k in range(int(top // step) + 1)]


def series_table(caption: str, periods: list[str], series: list[Series], share: bool = True) -> str:
    """The numbers behind a stacked bar chart: a row per period, a column per series."""
    head = "".join(f'<th scope="col">{e(s.label)}</th>' for s in series)
    rows = []
    for i, period in enumerate(periods):
        total = sum(s.counts[i] for s in series)
        cells = []
        for s in series:
            v = s.counts[i]
            cells.append(f"<td>{v}" + (f" <small>({v / total:.0%})</small>" if share and total and v else "") + "</td>")
        rows.append(f'<tr><th scope="row">{e(period)}</th>{"".join(cells)}<td>{total}</td></tr>')
    return (f'<table class="mm-chart-table"><caption>{e(caption)}</caption>\n'
            f'<thead><tr><th scope="col">Period</th>{head}<th scope="col">Total</th></tr></thead>\n'
            f'<tbody>\n' + "\n".join(rows) + "\n</tbody></table>")


# -- LLM size ------------------------------------------------------------------------------

def parse_size(text: str) -> float:
    """'7B' -> 7.0, '350M' -> 0.35, '1T' -> 1000.0 (billions of parameters)."""
    mult = {"M": 1e-3, "B": 1.0, "T": 1e3}[text[-1]]
    return float(text[:-1]) * mult


def llm_sizes(models: list[ModelRecord]) -> list[tuple[ModelRecord, str, float]]:
    """(model, printed size, billions) for every LLM size a record lists, by date."""
    out = []
    for m in sorted(models, key=lambda m: (m.date, m.name.lower(), m.id)):
        if not m.architecture or isinstance(m.architecture.llm_backbone, str):
            continue
        seen = set()
        for llm in m.architecture.llm_backbone:
            for size in llm.sizes:
                if size not in seen:
                    seen.add(size)
                    out.append((m, size, parse_size(size)))
    return out


def fmt_b(value: float) -> str:
    return f"{value * 1000:g}M" if value < 1 else f"{value:g}B"


SC_W_MONTH = 22
SC_H = 240


def size_scatter_svg(models: list[ModelRecord], prefix: str = "../") -> str:
    points = llm_sizes(models)
    if not points:
        return ""
    first = month_index(min(m.date for m in models))
    last = month_index(max(m.date for m in models)) + 1
    lo = 10 ** math.floor(math.log10(min(p[2] for p in points)))
    hi = 10 ** math.ceil(math.log10(max(p[2] for p in points)))
    if hi == lo:
        hi = lo * 10
    width = LEFT + (last - first) * SC_W_MONTH + 60  # room for the last axis label
    height = TOP + SC_H + 40

    def y_of(b: float) -> float:
        return TOP + SC_H - (math.log10(b) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * SC_H

    def x_of(d: dt.date) -> float:
        return LEFT + (month_index(d) - first + (d.day - 1) / 31) * SC_W_MONTH

    out = [_svg_open(width, height, "mm-llm-size", "LLM size over time",
                     f"{len(points)} LLM sizes listed by {len({p[0].id for p in points})} models, "
                     "by release date; parameters in billions on a logarithmic scale.",
                     role="group", scale=True)]  # a group, not an img: its dots are links
    out.append('<g class="mm-axis" aria-hidden="true">')
    decade = lo
    while decade <= hi:
        yy = y_of(decade)
        out.append(f'<line class="mm-grid" x1="{LEFT}" y1="{yy:.1f}" x2="{width - 10:g}" y2="{yy:.1f}"/>'
                   f'<text class="mm-axis-label" x="{LEFT - 4}" y="{yy + 4:.1f}" text-anchor="end">{fmt_b(decade)}</text>')
        decade *= 10
    for i in range(first, last + 1):
        if i % 12 == 0 or i == first:
            xx = LEFT + (i - first) * SC_W_MONTH
            out.append(f'<line class="mm-grid-year" x1="{xx:g}" y1="{TOP}" x2="{xx:g}" y2="{TOP + SC_H}"/>'
                       f'<text class="mm-axis-label" x="{xx + 3:g}" y="{TOP + SC_H + 16}">'
                       f'{e(MONTHS[i % 12] + " " + str(i // 12))}</text>')
    out.append("</g>")
    for m, size, b in points:
        out.append(f'<a href="{prefix}models/{e(m.id)}/"><title>{e(m.name)}: {e(size)}, '
                   f'{m.date.isoformat()}</title><circle class="mm-dot" cx="{x_of(m.date):.1f}" '
                   f'cy="{y_of(b):.1f}" r="4"/></a>')
    out.append("</svg>")
    return "\n".join(out)


def size_table(models: list[ModelRecord], periods: list[str], unit: str) -> str:
    by_period: dict[str, list[float]] = defaultdict(list)
    modelsets: dict[str, set[str]] = defaultdict(set)
    for m, _size, b in llm_sizes(models):
        by_period[period_of(m.date, unit)].append(b)
        modelsets[period_of(m.date, unit)].add(m.id)
    rows = []
    for p in periods:
        vals = by_period.get(p, [])
        if vals:
            cells = (f"<td>{len(modelsets[p])}</td><td>{len(vals)}</td><td>{fmt_b(min(vals))}</td>"
                     f"<td>{fmt_b(statistics.median(vals))}</td><td>{fmt_b(max(vals))}</td>")
        else:
            cells = "<td>0</td><td>0</td><td>–</td><td>–</td><td>–</td>"
        rows.append(f'<tr><th scope="row">{e(p)}</th>{cells}</tr>')
    return ('<table class="mm-chart-table"><caption>LLM sizes listed per period</caption>\n'
            '<thead><tr><th scope="col">Period</th><th scope="col">Models</th><th scope="col">Sizes</th>'
            '<th scope="col">Smallest</th><th scope="col">Median</th><th scope="col">Largest</th></tr></thead>\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


# -- scores: per-protocol leaderboards -------------------------------------------------------
# Points are shaped by weights as well as coloured (circle: open, square: closed, triangle:
# not stated), so the charts read without colour; each point links to its model.

PT_W, PT_H = 520, 240
PT_LEFT, PT_BOTTOM = 52, 36


def _point(kind: str, x: float, y: float) -> str:
    if kind == "yes":
        return f'<circle class="mm-pt mm-pt-open" cx="{x:.1f}" cy="{y:.1f}" r="4"/>'
    if kind == "no":
        return f'<rect class="mm-pt mm-pt-closed" x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7"/>'
    return (f'<path class="mm-pt mm-pt-unknown" d="M{x:.1f} {y - 4.5:.1f}l4.5 8h-9z"/>')


def _y_range(values: list[float]) -> tuple[float, float, list[float]]:
    lo, hi = min(values), max(values)
    span = hi - lo or max(abs(hi), 1.0)
    step = 10 ** math.floor(math.log10(span / 4)) if span > 0 else 1
    for m in (1, 2, 5, 10):
        if span / (step * m) <= 5:
            step *= m
            break
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if hi == lo:
        hi = lo + step
    return lo, hi, [lo + k * step for k in range(int(round((hi - lo) / step)) + 1)]


def score_chart_svg(board, axis: str, ident: str, prefix: str = "../../", frontier=()) -> str:
    """Score (y) against model size (axis='size', log scale) or release date (axis='date',
    with the best-so-far frontier as a step line) for one protocol's leaderboard."""
    bench, proto = board.bench, board.protocol
    pts = [s for s in board.standings if axis == "date" or s.size is not None]
    if len(pts) < 2:
        return ""
    ys = [s.best.normalized for s in pts]
    ylo, yhi, yticks = _y_range(ys)
    width, height = PT_LEFT + PT_W + 16, 16 + PT_H + PT_BOTTOM + 18

    def y_of(v: float) -> float:
        return 16 + PT_H - (v - ylo) / (yhi - ylo) * PT_H

    if axis == "size":
        sizes = [s.size.total for s in pts]
        xlo = 10 ** math.floor(math.log10(min(sizes)))
        xhi = 10 ** math.ceil(math.log10(max(sizes)))
        if xhi == xlo:
            xhi = xlo * 10

        def x_of(s) -> float:
            return PT_LEFT + (math.log10(s.size.total) - math.log10(xlo)) / (math.log10(xhi) - math.log10(xlo)) * PT_W
        xticks = []
        d = xlo
        while d <= xhi:
            xticks.append((PT_LEFT + (math.log10(d) - math.log10(xlo)) / (math.log10(xhi) - math.log10(xlo)) * PT_W, fmt_b(d)))
            d *= 10
        title = f"{bench.key} {proto.label}: score against model size"
        xname = "parameters (billions, log scale)"
    else:
        first = month_index(min(s.model.date for s in pts))
        last = month_index(max(s.model.date for s in pts)) + 1
        months = max(last - first, 1)

        def x_of(s) -> float:
            return PT_LEFT + (month_index(s.model.date) - first + (s.model.date.day - 1) / 31) / months * PT_W
        step = max(1, math.ceil(months / 6 / 3) * 3)
        xticks = [(PT_LEFT + (i - first) / months * PT_W, f"{MONTHS[i % 12]} {i // 12}")
                  for i in range(first, last + 1, step)]
        title = f"{bench.key} {proto.label}: score against release date, with the best so far"
        xname = "release date"
    desc = (f"{len(pts)} models, one point each (its best score under this protocol); circle: "
            "open weights, square: closed, triangle: not stated. Each point links to the model.")
    out = [_svg_open(width, height, ident, title, desc, role="group", scale=True)]
    out.append('<g class="mm-axis" aria-hidden="true">')
    for v in yticks:
        yy = y_of(v)
        out.append(f'<line class="mm-grid" x1="{PT_LEFT}" y1="{yy:.1f}" x2="{PT_LEFT + PT_W}" y2="{yy:.1f}"/>'
                   f'<text class="mm-axis-label" x="{PT_LEFT - 4}" y="{yy + 4:.1f}" text-anchor="end">{v:g}</text>')
    for xx, label in xticks:
        out.append(f'<line class="mm-grid" x1="{xx:.1f}" y1="16" x2="{xx:.1f}" y2="{16 + PT_H}"/>'
                   f'<text class="mm-axis-label" x="{xx:.1f}" y="{16 + PT_H + 16}" text-anchor="middle">{e(label)}</text>')
    out.append(f'<text class="mm-axis-label" x="{PT_LEFT + PT_W / 2:g}" y="{16 + PT_H + 32}" '
               f'text-anchor="middle">{e(xname)}</text>')
    out.append("</g>")
    if frontier:
        path, prev = [], None
        for s in frontier:
            x, y = x_of(s), y_of(s.best.normalized)
            path.append(f"M{x:.1f} {y:.1f}" if prev is None else f"H{x:.1f}V{y:.1f}")
            prev = y
        path.append(f"H{PT_LEFT + PT_W}")
        out.append(f'<path class="mm-frontier" d="{"".join(path)}"/>')
    for s in pts:
        what = fmt_b(s.size.total) if axis == "size" else s.model.date.isoformat()
        out.append(f'<a href="{prefix}models/{e(s.model.id)}/" data-m="{e(s.model.id)}"><title>{e(s.model.name)}: '
                   f'{e(s.best.shown)} ({what})</title>{_point(s.open, x_of(s), y_of(s.best.normalized))}</a>')
    out.append("</svg>")
    return "\n".join(out)


def frontier_table(board, frontier, prefix: str = "../../") -> str:
    """The numbers of the frontier: each model that set a new best, with its date and score."""
    rows = "\n".join(
        f'<tr><td><time datetime="{s.model.date.isoformat()}">{s.model.date.isoformat()}</time></td>'
        f'<th scope="row"><a href="{prefix}models/{e(s.model.id)}/">{e(s.model.name)}</a></th>'
        f'<td><a href="{e(s.best.source)}">{e(s.best.shown)}</a></td></tr>' for s in frontier)
    return (f'<table class="mm-chart-table"><caption>{e(board.bench.key)} {e(board.protocol.label)}: '
            f'best so far</caption>\n<thead><tr><th scope="col">Date</th><th scope="col">Model</th>'
            f'<th scope="col">Score</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table>')


SM_W, SM_H, SM_LEFT, SM_TOP = 230, 90, 40, 22


def frontier_small_svg(board, front, ident: str, prefix: str = "../") -> str:
    """A small chart of one benchmark's best score so far over time (its main protocol): a
    step line through the models that set a new best, each a linked point shaped by weights."""
    if len(front) < 1:
        return ""
    ys = [s.best.normalized for s in front]
    ylo, yhi, _ = _y_range(ys)
    first = month_index(front[0].model.date)
    last = max(month_index(front[-1].model.date) + 1, first + 1)
    width, height = SM_LEFT + SM_W + 10, SM_TOP + SM_H + 22

    def x_of(s) -> float:
        d = s.model.date
        return SM_LEFT + (month_index(d) - first + (d.day - 1) / 31) / (last - first) * SM_W

    def y_of(v: float) -> float:
        return SM_TOP + SM_H - (v - ylo) / (yhi - ylo) * SM_H

    key, proto = board.bench.key, board.protocol.label
    out = [_svg_open(width, height, ident, f"{key} ({proto}): best score so far",
                     f"{len(front)} models set a new best from {front[0].model.date.isoformat()} to "
                     f"{front[-1].model.date.isoformat()}; circle: open weights, square: closed, "
                     "triangle: not stated. Each point links to the model.", role="group")]
    out.append(f'<text class="mm-chart-title" x="4" y="14">{e(key)} · {e(proto)}</text>')
    out.append('<g class="mm-axis" aria-hidden="true">')
    for v in (ylo, yhi):
        yy = y_of(v)
        out.append(f'<line class="mm-grid" x1="{SM_LEFT}" y1="{yy:.1f}" x2="{SM_LEFT + SM_W}" y2="{yy:.1f}"/>'
                   f'<text class="mm-axis-label" x="{SM_LEFT - 4}" y="{yy + 4:.1f}" text-anchor="end">{v:g}</text>')
    for i, anchor in ((first, "start"), (last - 1, "end")):
        xx = SM_LEFT if anchor == "start" else SM_LEFT + SM_W
        out.append(f'<text class="mm-axis-label" x="{xx}" y="{SM_TOP + SM_H + 16}" text-anchor="{anchor}">'
                   f'{MONTHS[i % 12]} {i // 12}</text>')
    out.append("</g>")
    path = []
    for s in front:
        x, y = x_of(s), y_of(s.best.normalized)
        path.append(f"M{x:.1f} {y:.1f}" if not path else f"H{x:.1f}V{y:.1f}")
    path.append(f"H{SM_LEFT + SM_W}")
    out.append(f'<path class="mm-frontier" d="{"".join(path)}"/>')
    for s in front:
        out.append(f'<a href="{prefix}models/{e(s.model.id)}/"><title>{e(s.model.name)}: {e(s.best.shown)} '
                   f'({s.model.date.isoformat()})</title>{_point(s.open, x_of(s), y_of(s.best.normalized))}</a>')
    out.append("</svg>")
    return "\n".join(out)
