"""A benchmark's leaderboards (one per protocol, builder.data.scores.boards) with their
charts, the benchmark page's block; and the rank lines of a model page."""
from __future__ import annotations

from functools import partial

from markupsafe import Markup, escape

from schema import ModelRecord

from builder.data.api import benchmark_page_url
from builder.data.scores import Board, Standing, frontier

from .charts import fmt_b, frontier_small_svg, frontier_table, score_chart_svg
from .kit import io_label, render

MIN_CHART_POINTS = 3  # fewer points make no chart worth drawing


def facets(boards: list[Board]) -> dict[str, list[str]]:
    """The values each filter offers, from every protocol's rows (families are joined by ' / ')."""
    ss = [s for b in boards for s in b.standings]
    return {
        "org": sorted({o for s in ss for o in s.model.organizations}, key=str.casefold),
        "lf": sorted({f for s in ss for f in s.llm_family.split(" / ")}, key=str.casefold),
        "ef": sorted({f for s in ss for f in s.encoder_family.split(" / ")}, key=str.casefold),
        "io": sorted({io_label(s.model) for s in ss}),
        "y": sorted({str(s.model.date.year) for s in ss}),
        "kind": sorted({s.best.source_kind for s in ss}),
    }


def board_charts(board: Board, prefix: str) -> dict[str, Markup | None]:
    if len(board.standings) < MIN_CHART_POINTS:
        return {"size": None, "date": None, "frontier": None}
    ident = f"mm-{board.bench.key.lower()}-{board.protocol.key}"
    front = frontier(board)
    size = score_chart_svg(board, "size", ident + "-size", prefix)
    date = score_chart_svg(board, "date", ident + "-date", prefix, frontier=front)
    return {"size": Markup(size) if size else None, "date": Markup(date) if date else None,
            "frontier": Markup(frontier_table(board, front, prefix))}


def board_row(s: Standing, pk: str, prefix: str = "../../") -> Markup:
    """One model's row: its best score (its other scores under the protocol behind +n) and
    its facts, with the data attributes leaderboard.js filters and sorts on. Record text is
    escaped."""
    m, r, size = s.model, s.best, s.size
    io, date = escape(io_label(m)), m.date.isoformat()
    attrs = f'data-o="{s.open}"'
    if size:
        attrs += f' data-s="{size.total:g}"' + (f' data-a="{size.active:g}"' if size.active is not None else "")
    attrs += (f' data-org="{escape("|".join(m.organizations))}" data-lf="{escape(s.llm_family)}"'
              f' data-ef="{escape(s.encoder_family)}" data-io="{io}" data-y="{m.date.year}"'
              f' data-k="{r.source_kind}" data-v="{r.normalized:.6g}"')
    if s.rank <= 2:
        attrs += f' class="r{s.rank}"'
    source = escape(r.source)
    score = f'<a href="{source}">{escape(r.shown)}</a>'
    if r.printed_scale is not None:
        score += f" <small>(of {r.printed_scale:g})</small>"
    if s.others:
        n = len(s.others)
        items = "".join(f'<li><a href="{escape(o.source)}">{escape(o.shown)}</a> {escape(o.reported_as or "")} '
                        f'{escape(o.variant or "")} <small>{o.source_kind}</small></li>' for o in s.others)
        score += (f' <details class="mm-others"><summary title="{n} more score(s) of this model under '
                  f'this protocol">+{n}</summary><ul>{items}</ul></details>')
    size_text = ""
    if size:
        size_text = fmt_b(size.total) + (f" <small>({fmt_b(size.active)} active)</small>"
                                         if size.active is not None else "") + f" <small>{size.basis}</small>"
    note = f" <small>{escape(r.note)}</small>" if r.note else ""
    return Markup(
        f'<tr id="{pk}--{m.id}" data-m="{m.id}" {attrs}><td>{s.rank}</td><th scope="row">'
        f'<a href="{prefix}models/{m.id}/">{escape(r.reported_as or m.name)}</a></th><td>{score}</td>'
        f'<td>{escape(r.variant or "")}</td><td>{size_text}</td><td>{escape(", ".join(m.organizations))}</td>'
        f'<td>{escape(s.llm_family)}</td><td>{escape(s.encoder_family)}</td><td>{io}</td>'
        f'<td><time datetime="{date}">{date}</time></td><td>{s.open}</td>'
        f'<td><a href="{source}">{r.source_kind}</a>{note}</td></tr>')


def leaderboard_html(boards: list[Board], prefix: str = "../../") -> str:
    """The leaderboard block of benchmarks/<key>/: every protocol's board and charts."""
    return render("results/_leaderboard.j2", bench=boards[0].bench, boards=boards,
                  facets=facets(boards), prefix=prefix, board_row=partial(board_row, prefix=prefix),
                  charts={b.protocol.key: board_charts(b, prefix) for b in boards})


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_lines(model: ModelRecord, standings: list[tuple[Board, Standing]],
               prefix: str = "../../") -> dict[str, dict]:
    """A model's place per benchmark and protocol ('12th of 140' on MMMU val): benchmark key ->
    its places, main protocol first; each links to its row of the leaderboard (#<protocol>--<model id>), which
    leaderboard.js opens on that protocol with the model highlighted."""
    out: dict[str, dict] = {}
    for board, s in standings:
        key = board.bench.key
        x = out.setdefault(key, {"bench": key, "url": prefix + benchmark_page_url(key), "places": []})
        x["places"].append({
            "protocol": board.protocol.label, "main": board.main, "rank": s.rank,
            "stated": bool(board.protocol.split or board.protocol.setting),
            "of": len(board.standings), "ordinal": ordinal(s.rank), "score": s.best,
            "url": f"{x['url']}#{board.protocol.key}--{model.id}"})
    return out


def frontiers_html(boards_by_key: dict[str, list[Board]], prefix: str = "../") -> str:
    """The benchmarks index's chart: per benchmark, under its main protocol, the best score so
    far over time, with the numbers in a table beside."""
    mains = [bs[0] for bs in boards_by_key.values() if bs and len(bs[0].standings) >= MIN_CHART_POINTS]
    fronts = [(b, frontier(b)) for b in mains]
    charts = [frontier_small_svg(b, f, f"mm-front-{b.bench.key.lower()}", prefix) for b, f in fronts]
    return render("results/_frontiers.j2", charts=[Markup(c) for c in charts if c], fronts=fronts,
                  prefix=prefix)
