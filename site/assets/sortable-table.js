/* MM-LLMs Atlas: click a column header of a `table[data-sortable]` to sort its rows.
   Own code, no dependency. The table is complete without JavaScript; this only reorders
   rows. A cell's `data-sort` value (a number or an ISO date) is used when present,
   otherwise its text. Empty values sort last in both directions. */
(function () {
  "use strict";

  function key(cell) {
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return (v === null ? cell.textContent : v).trim();
  }

  function numeric(values) {
    return values.every(function (v) { return v === "" || !isNaN(Number(v)); });
  }

  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var keys = rows.map(function (r) { return key(r.cells[col]); });
    var asNumber = th.getAttribute("data-sort-type") === "number" || numeric(keys);
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var sign = dir === "ascending" ? 1 : -1;
    var order = rows.map(function (r, i) { return i; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      var xe = x === "" || (asNumber && Number(x) < 0), ye = y === "" || (asNumber && Number(y) < 0);
      if (xe !== ye) return xe ? 1 : -1;  /* missing values last */
      var c = asNumber ? Number(x) - Number(y) : x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"});
      return c !== 0 ? sign * c : a - b;  /* stable */
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    order.forEach(function (i) { body.appendChild(rows[i]); });
  }

  function setup(table) {
    if (table.getAttribute("data-sortable-ready") || !table.tHead) return;
    table.setAttribute("data-sortable-ready", "1");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mm-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, col, th); });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), setup);
  }

  /* Material's instant navigation swaps pages without a reload: re-run on each page. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
