/* MM-LLMs Atlas: a benchmark's leaderboards (builder/pages/leaderboard.py). Progressive
   enhancement: without this script every protocol's table is shown, complete. With it, one
   protocol at a time (a selector), sorting and filters; the view state lives in the URL query
   (p, filters, sort, dir, hl: a highlighted model), so a view can be shared.
   Speed: row facts are read from data attributes once; only the first rows that match
   (100 by default, "Rows shown") are in view, and a sort or filter moves only those rows, so
   it costs the layout of the rows in view, not of the whole table. */
(function () {
  "use strict";
  var form = document.getElementById("mm-board-controls");
  if (!form) return;
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.mm-protocol"));
  if (!sections.length) return;
  var FIELDS = ["p", "q", "open", "smin", "smax", "amax", "org", "lf", "ef", "io", "y", "kind", "n"];
  var DEFAULT_LIMIT = 100;
  var KEYS = FIELDS.concat(["sort", "dir", "hl"]);
  var state = {};

  var boards = {};
  sections.forEach(function (sec) {
    var table = sec.querySelector("table");
    var tbody = table.tBodies[0];
    var rows = Array.prototype.map.call(tbody.rows, function (tr, i) {
      var d = tr.dataset;
      return { tr: tr, i: i, m: d.m, o: d.o, org: (d.org || "").split("|"),
               lf: (d.lf || "").split(" / "), ef: (d.ef || "").split(" / "), io: d.io, y: d.y,
               k: d.k, v: parseFloat(d.v), s: d.s ? parseFloat(d.s) : null,
               a: d.a ? parseFloat(d.a) : null, date: tr.querySelector("time").getAttribute("datetime"),
               rank: parseInt(tr.cells[0].textContent, 10),
               text: (tr.cells[1].textContent + " " + tr.cells[3].textContent).toLowerCase() };
    });
    var heads = {};
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.dataset.c) heads[th.dataset.c] = th;
    });
    boards[sec.dataset.p] = { sec: sec, tbody: tbody, rows: rows, heads: heads };
  });

  function num(s) { var v = parseFloat(s); return isNaN(v) ? null : v; }

  function value(r, c) {
    if (c === "rank") return r.rank;
    if (c === "score") return r.v;
    if (c === "size") return r.s;
    if (c === "date") return r.date;
    return r.text;
  }

  function render() {
    var b = boards[state.p] || boards[sections[0].dataset.p];
    sections.forEach(function (sec) { sec.hidden = sec !== b.sec; });
    var q = (state.q || "").toLowerCase().trim(), lo = num(state.smin), hi = num(state.smax),
        amax = num(state.amax);
    var order = b.rows.slice();
    var c = state.sort && b.heads[state.sort] ? state.sort : null;
    Object.keys(b.heads).forEach(function (k) { b.heads[k].removeAttribute("aria-sort"); });
    if (c) {
      var dir = state.dir === "asc" ? 1 : -1;
      b.heads[c].setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      order.sort(function (x, y) {
        var vx = value(x, c), vy = value(y, c);
        if (vx === null || vy === null) return vx === vy ? x.i - y.i : (vx === null ? 1 : -1);
        return (vx < vy ? -1 : (vx > vy ? 1 : 0)) * dir || x.i - y.i;
      });
    }
    var limit = state.n === "all" ? Infinity : (parseInt(state.n, 10) || DEFAULT_LIMIT);
    var matching = 0, inView = [];
    order.forEach(function (r) {
      var ok = (!q || r.text.indexOf(q) !== -1) && (!state.open || r.o === state.open) &&
        (lo === null || (r.s !== null && r.s >= lo)) && (hi === null || (r.s !== null && r.s <= hi)) &&
        (amax === null || ((r.a !== null ? r.a : r.s) !== null && (r.a !== null ? r.a : r.s) <= amax)) &&
        (!state.org || r.org.indexOf(state.org) !== -1) && (!state.lf || r.lf.indexOf(state.lf) !== -1) &&
        (!state.ef || r.ef.indexOf(state.ef) !== -1) && (!state.io || r.io === state.io) &&
        (!state.y || r.y === state.y) && (!state.kind || r.k === state.kind);
      var hl = !!state.hl && r.m === state.hl;
      var visible = ok && (matching < limit || hl); // the highlighted model is always in view
      if (ok) matching++;
      if (visible) inView.push(r.tr);
      if (r.tr.hidden === visible) r.tr.hidden = !visible;
      if (r.tr.classList.contains("mm-hl") !== hl) r.tr.classList.toggle("mm-hl", hl);
    });
    // rows in view go to the end of the body, in order; where hidden rows sit does not matter
    var frag = document.createDocumentFragment();
    inView.forEach(function (tr) { frag.appendChild(tr); });
    b.tbody.appendChild(frag);
    form.elements.count.value = inView.length + " shown · " + matching + " match · " +
      b.rows.length + " models";
  }

  function readUrl() {
    var p = new URLSearchParams(location.search);
    state = {};
    KEYS.forEach(function (f) { if (p.get(f)) state[f] = p.get(f); });
    // a model page links to a row, #<protocol>--<model id>: open its protocol, highlight it
    var row = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (row && row.dataset.m && !state.p && !state.hl) {
      state.p = row.closest("section.mm-protocol").dataset.p;
      state.hl = row.dataset.m;
    }
    if (!boards[state.p]) state.p = sections[0].dataset.p;
  }

  function writeUrl() {
    var p = new URLSearchParams();
    KEYS.forEach(function (f) {
      if (state[f] && !(f === "p" && state.p === sections[0].dataset.p)) p.set(f, state[f]);
    });
    var qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  }

  function writeForm() { FIELDS.forEach(function (f) { form.elements[f].value = state[f] || ""; }); }

  Object.keys(boards).forEach(function (p) {
    var heads = boards[p].heads;
    Object.keys(heads).forEach(function (c) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "mm-sort";
      btn.textContent = "↕";
      btn.setAttribute("aria-label", "sort by " + c);
      btn.addEventListener("click", function () {
        var first = c === "rank" || c === "model" || heads[c].hasAttribute("data-low") ? "asc" : "desc";
        state.dir = state.sort === c ? (state.dir === "asc" ? "desc" : "asc") : first;
        state.sort = c;
        render();
        writeUrl();
      });
      heads[c].appendChild(btn);
    });
  });

  function changed() {
    FIELDS.forEach(function (f) { state[f] = form.elements[f].value; });
    render();
    writeUrl();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  // for scripts/bench_results.py: one sort as a click does it
  window.mmBoardSort = function (key, dir) { state.sort = key; state.dir = dir || "desc"; render(); writeUrl(); };

  readUrl();
  writeForm();
  form.hidden = false;
  render();
  if (state.hl) {
    var row = document.getElementById(state.p + "--" + state.hl);
    if (row && !row.hidden) row.scrollIntoView({ block: "center" });
  }
})();
