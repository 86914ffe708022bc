/* MM-LLMs Atlas: sorting, filtering and column groups for the comparison table at
   benchmarks/. Progressive enhancement: without this script the table is complete.
   No dependencies; the view state lives in the URL query so a view can be shared. */
(function () {
  "use strict";
  var table = document.getElementById("mm-results");
  var form = document.getElementById("mm-controls");
  if (!table || !form) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var META = 4; // model, variant, LLM, size
  var style = document.createElement("style");
  document.head.appendChild(style);

  // columns: index in a body row -> {key, type, group, low, th}
  var cols = [];
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    if (th.dataset.c) cols.push({ key: th.dataset.c, type: th.dataset.t, th: th });
  });
  Array.prototype.forEach.call(table.tHead.rows[1].cells, function (th) {
    cols.push({ key: th.textContent.trim(), type: "n", group: th.dataset.g,
                low: th.hasAttribute("data-low"), th: th });
  });
  var byKey = {};
  cols.forEach(function (c, i) { c.index = i; byKey[c.key.toLowerCase()] = c; });

  rows.forEach(function (tr, i) {
    tr._i = i;
    tr._text = (tr.cells[0].textContent + " " + tr.cells[1].textContent + " " +
                tr.cells[2].textContent).toLowerCase();
    var kinds = {};
    for (var j = META; j < tr.cells.length; j++) {
      var k = tr.cells[j].dataset.k;
      if (k) kinds[k] = true;
    }
    tr._kinds = kinds;
  });

  var state = {};
  var FIELDS = ["q", "io", "fam", "smin", "smax", "year", "open", "kind"];

  function cellValue(tr, c) {
    if (c.key === "size") return tr.dataset.s === "" ? null : parseFloat(tr.dataset.s);
    var td = tr.cells[c.index];
    if (c.type === "s") return td.textContent.trim().toLowerCase() || null;
    if (state.kind && td.dataset.k !== state.kind) return null;
    if (td.dataset.v) return parseFloat(td.dataset.v);
    var a = td.firstChild;
    if (!a) return null;
    var v = parseFloat(a.textContent);
    return isNaN(v) ? null : v;
  }

  function sortRows() {
    var c = state.sort && byKey[state.sort.toLowerCase()];
    cols.forEach(function (x) { x.th.removeAttribute("aria-sort"); });
    var order = rows.slice();
    if (c) {
      var dir = state.dir === "asc" ? 1 : -1;
      c.th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var vals = new Array(rows.length);
      rows.forEach(function (tr) { vals[tr._i] = cellValue(tr, c); });
      order.sort(function (a, b) {
        var va = vals[a._i], vb = vals[b._i];
        if (va === null || vb === null) {
          if (va === vb) return a._i - b._i;
          return va === null ? 1 : -1; // blanks last, whatever the direction
        }
        var d = va < vb ? -1 : (va > vb ? 1 : 0);
        return d * dir || a._i - b._i;
      });
    }
    var frag = document.createDocumentFragment();
    order.forEach(function (tr) { frag.appendChild(tr); });
    tbody.appendChild(frag);
  }

  function num(s) { var v = parseFloat(s); return isNaN(v) ? null : v; }

  function filterRows() {
    var q = (state.q || "").toLowerCase().trim(), lo = num(state.smin), hi = num(state.smax);
    var shown = 0;
    rows.forEach(function (tr) {
      var d = tr.dataset, size = d.s === "" ? null : parseFloat(d.s);
      var ok = (!q || tr._text.indexOf(q) !== -1) &&
        (!state.io || d.io === state.io) && (!state.fam || d.fam === state.fam) &&
        (!state.year || d.y === state.year) && (!state.open || d.o === state.open) &&
        (!state.kind || tr._kinds[state.kind]) &&
        (lo === null || (size !== null && size >= lo)) && (hi === null || (size !== null && size <= hi));
      tr.hidden = !ok;
      if (ok) shown++;
    });
    form.elements.count.value = shown + " of " + rows.length + " rows";
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

  // best and second best among the rows and cells in view
  function markRanks() {
    cols.forEach(function (c) {
      if (c.index < META) return;
      var best = null, second = null, better = function (a, b) { return c.low ? a < b : a > b; };
      rows.forEach(function (tr) {
        if (tr.hidden) return;
        var v = cellValue(tr, c);
        if (v === null || v === best || v === second) return;
        if (best === null || better(v, best)) { second = best; best = v; }
        else if (second === null || better(v, second)) second = v;
      });
      rows.forEach(function (tr) {
        var td = tr.cells[c.index], v = tr.hidden ? null : cellValue(tr, c);
        var rank = v === null ? 0 : (v === best ? 1 : (v === second ? 2 : 0));
        var want = rank ? "r" + rank : "";
        if (td.className === want) return;
        td.className = want;
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

  function readUrl() {
    var p = new URLSearchParams(location.search);
    state = {};
    FIELDS.concat(["hide", "sort", "dir"]).forEach(function (f) { if (p.get(f)) state[f] = p.get(f); });
  }

  function writeUrl() {
    var p = new URLSearchParams();
    FIELDS.concat(["hide", "sort", "dir"]).forEach(function (f) { if (state[f]) p.set(f, state[f]); });
    var qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  }

  function apply(sorted) {
    columnStyle();
    filterRows();
    if (sorted) sortRows();
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
      apply(true);
    });
    c.th.appendChild(b);
  });

  form.addEventListener("input", function () { readForm(); apply(false); });
  form.addEventListener("change", function () { readForm(); apply(false); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.mmResultsSort = function (key, dir) { // used by scripts/bench_results.py
    state.sort = key; state.dir = dir || "desc"; sortRows();
  };

  readUrl();
  writeForm();
  form.hidden = false;
  apply(true);
})();
