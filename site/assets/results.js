/* MM-LLMs Atlas: sorting, filtering and column groups for the comparison table at
   benchmarks/. Progressive enhancement: without this script the table is complete.
   No dependencies; the view state lives in the URL query so a view can be shared.
   Speed: cell values are read from the DOM once per column and cached; rows beyond the
   chosen number (default 50) are hidden, so a sort lays out only the rows in view. */
(function () {
  "use strict";
  var table = document.getElementById("mm-results");
  var form = document.getElementById("mm-controls");
  if (!table || !form) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var META = 6; // model, released, variant, LLM, size, open weights
  var DEFAULT_LIMIT = 50;
  var DEFAULT_SORT = "released"; // the order of the page: newest first
  var style = document.createElement("style");
  document.head.appendChild(style);

  // columns: index in a body row -> {key, type, group, low, th}
  var cols = [];
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    if (th.dataset.c) cols.push({ key: th.dataset.c, type: th.dataset.t, th: th });
  });
  Array.prototype.forEach.call(table.tHead.rows[1].cells, function (th) {
    cols.push({ key: th.querySelector("a").textContent.trim(), type: "n", group: th.dataset.g,
                low: th.hasAttribute("data-low"), th: th });
  });
  var byKey = {};
  cols.forEach(function (c, i) { c.index = i; byKey[c.key.toLowerCase()] = c; });

  var info = rows.map(function (tr, i) {
    var d = tr.dataset, kinds = {}, rank = [];
    for (var j = META; j < tr.cells.length; j++) {
      var td = tr.cells[j];
      if (td.dataset.k) kinds[td.dataset.k] = true;
      rank[j] = td.className === "r1" ? 1 : (td.className === "r2" ? 2 : 0);
    }
    return { tr: tr, i: i, kinds: kinds, rank: rank, io: d.io, fam: d.fam, y: d.y, o: d.o,
             size: d.s === "" ? null : parseFloat(d.s), match: true,
             text: (tr.cells[0].textContent + " " + tr.cells[2].textContent + " " +
                    tr.cells[3].textContent).toLowerCase() };
  });
  var order = info.slice();
  var cache = {};
  var state = {};
  var FIELDS = ["q", "io", "fam", "smin", "smax", "year", "open", "kind", "n"];

  // values of one column for every row (null = blank), cached per column and kind filter
  function values(c) {
    var key = c.index + "|" + (state.kind || "");
    if (cache[key]) return cache[key];
    var out = new Array(info.length);
    info.forEach(function (r) {
      var v = null;
      if (c.key === "size") v = r.size;
      else {
        var td = r.tr.cells[c.index];
        // strings: the cell's first node, without a marker such as the LLM's <sup>rec</sup>
        if (c.type === "s") v = (td.firstChild ? td.firstChild.textContent : "").trim().toLowerCase() || null;
        else if (!state.kind || td.getAttribute("data-k") === state.kind) {
          var raw = td.getAttribute("data-v") || (td.firstChild ? td.firstChild.textContent : "");
          v = raw === "" ? null : parseFloat(raw);
          if (v !== v) v = null; // NaN
        }
      }
      out[r.i] = v;
    });
    return (cache[key] = out);
  }

  function sortOrder() {
    var c = byKey[(state.sort || DEFAULT_SORT).toLowerCase()];
    cols.forEach(function (x) { x.th.removeAttribute("aria-sort"); });
    order = info.slice();
    if (!c) return;
    var dir = state.sort && state.dir === "asc" ? 1 : -1, vals = values(c);
    c.th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    order.sort(function (a, b) {
      var va = vals[a.i], vb = vals[b.i];
      if (va === null || vb === null) {
        if (va === vb) return a.i - b.i;
        return va === null ? 1 : -1; // blanks last, whatever the direction
      }
      var d = va < vb ? -1 : (va > vb ? 1 : 0);
      return d * dir || a.i - b.i;
    });
  }

  function num(s) { var v = parseFloat(s); return isNaN(v) ? null : v; }

  function matchRows() {
    var q = (state.q || "").toLowerCase().trim(), lo = num(state.smin), hi = num(state.smax);
    info.forEach(function (r) {
      r.match = (!q || r.text.indexOf(q) !== -1) &&
        (!state.io || r.io === state.io) && (!state.fam || r.fam === state.fam) &&
        (!state.year || r.y === state.year) && (!state.open || r.o === state.open) &&
        (!state.kind || r.kinds[state.kind] === true) &&
        (lo === null || (r.size !== null && r.size >= lo)) &&
        (hi === null || (r.size !== null && r.size <= hi));
    });
  }

  // show the first `limit` matching rows, in order. Only rows in view are moved (to the end
  // of the body, in order); the place of hidden rows does not matter, so a sort costs the
  // layout of the rows in view, not of the whole table.
  function show() {
    var limit = state.n === "all" ? Infinity : (parseInt(state.n, 10) || DEFAULT_LIMIT);
    var matching = 0, inView = [];
    order.forEach(function (r) {
      var visible = r.match && matching < limit;
      if (r.match) matching++;
      if (visible) inView.push(r.tr);
      if (r.tr.hidden !== !visible) r.tr.hidden = !visible;
    });
    var frag = document.createDocumentFragment();
    inView.forEach(function (tr) { frag.appendChild(tr); });
    tbody.appendChild(frag);
    form.elements.count.value = inView.length + " shown · " + matching + " match · " +
      info.length + " rows";
  }

  function columnStyle() {
    var hidden = (state.hide || "").split(",").filter(Boolean), css = [];
    hidden.forEach(function (g) {
      css.push('#mm-results th[data-g="' + g.replace(/["\\]/g, "") + '"]{display:none}');
      cols.forEach(function (c) {
        if (c.group === g) css.push("#mm-results tbody tr>:nth-child(" + (c.index + 1) + "){display:none}");
      });
    });
    if (state.kind) {
      css.push('#mm-results td[data-k]:not([data-k="' + state.kind.replace(/["\\]/g, "") + '"])>*{display:none}');
    }
    style.textContent = css.join("\n");
  }

  // best and second best among the matching rows (and the cells the kind filter keeps)
  function markRanks() {
    cols.forEach(function (c) {
      if (c.index < META) return;
      var vals = values(c), best = null, second = null;
      var better = function (a, b) { return c.low ? a < b : a > b; };
      info.forEach(function (r) {
        var v = vals[r.i];
        if (!r.match || v === null || v === best || v === second) return;
        if (best === null || better(v, best)) { second = best; best = v; }
        else if (second === null || better(v, second)) second = v;
      });
      info.forEach(function (r) {
        var v = r.match ? vals[r.i] : null;
        var rank = v === null ? 0 : (v === best ? 1 : (v === second ? 2 : 0));
        if (r.rank[c.index] === rank) return;
        r.rank[c.index] = rank;
        var td = r.tr.cells[c.index];
        td.className = rank ? "r" + rank : "";
        var sup = td.querySelector("sup");
        if (sup) sup.remove();
        if (rank) {
          sup = document.createElement("sup");
          sup.textContent = rank === 1 ? "1st" : "2nd";
          td.firstChild.after(sup);
        }
      });
    });
  }

  function readForm() {
    FIELDS.forEach(function (f) { state[f] = form.elements[f].value; });
    var hide = [];
    Array.prototype.forEach.call(form.querySelectorAll('input[name="show"]'), function (box) {
      if (!box.checked) hide.push(box.value);
    });
    state.hide = hide.join(",");
  }

  function writeForm() {
    FIELDS.forEach(function (f) { form.elements[f].value = state[f] || ""; });
    var hidden = (state.hide || "").split(",");
    Array.prototype.forEach.call(form.querySelectorAll('input[name="show"]'), function (box) {
      box.checked = hidden.indexOf(box.value) === -1;
    });
  }

  var KEYS = FIELDS.concat(["hide", "sort", "dir"]);

  function readUrl() {
    var p = new URLSearchParams(location.search);
    state = {};
    KEYS.forEach(function (f) { if (p.get(f)) state[f] = p.get(f); });
  }

  function writeUrl() {
    var p = new URLSearchParams();
    KEYS.forEach(function (f) { if (state[f]) p.set(f, state[f]); });
    var qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  }

  function apply(resort) {
    columnStyle();
    matchRows();
    if (resort) sortOrder();
    show();
    markRanks();
    writeUrl();
  }

  cols.forEach(function (c) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "mm-sort";
    b.textContent = "↕";
    b.setAttribute("aria-label", "sort by " + c.key);
    b.addEventListener("click", function () {
      var first = c.type === "s" || c.low ? "asc" : "desc";
      var same = state.sort && state.sort.toLowerCase() === c.key.toLowerCase();
      state.dir = same ? (state.dir === "asc" ? "desc" : "asc") : first;
      state.sort = c.key;
      sortOrder();
      show();
      writeUrl();
    });
    c.th.appendChild(b);
  });

  function changed(e) {
    var resort = e.target.name === "kind"; // the kind filter changes the values sorted on
    readForm();
    apply(resort);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  // for scripts/bench_results.py: one sort as a click does it
  window.mmResultsSort = function (key, dir) {
    state.sort = key; state.dir = dir || "desc"; sortOrder(); show(); writeUrl();
  };

  readUrl();
  writeForm();
  form.hidden = false;
  apply(true);
})();
