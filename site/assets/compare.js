/* MM-LLMs Atlas: side-by-side comparison (compare/). No dependencies.
 * Reads the JSON blob the builder embeds in the page; the selection lives in the URL as
 * ?m=id1,id2 so a shared address shows the same comparison. All record text is inserted
 * with textContent, never as HTML. */
(function () {
  "use strict";
  var MAX = 4;
  var root = document.getElementById("mm-compare");
  var blob = document.getElementById("mm-compare-data");
  if (!root || !blob) return;
  var data = JSON.parse(blob.textContent);
  var byId = {};
  var byKey = {};
  data.models.forEach(function (m) {
    byId[m.id] = m;
    [m.id, m.name].concat(m.aliases).forEach(function (k) { byKey[k.toLowerCase()] = m; });
  });
  var form = document.getElementById("mm-compare-form");
  var input = document.getElementById("mm-compare-search");
  var status = document.getElementById("mm-compare-status");
  var out = document.getElementById("mm-compare-table");
  form.hidden = false;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function selectionFromUrl() {
    var raw = new URLSearchParams(window.location.search).get("m") || "";
    var ids = [], unknown = [];
    raw.split(",").forEach(function (part) {
      var id = part.trim();
      if (!id) return;
      if (!byId[id]) { unknown.push(id); return; }
      if (ids.indexOf(id) < 0 && ids.length < MAX) ids.push(id);
    });
    return {ids: ids, unknown: unknown};
  }

  function setUrl(ids) {
    var url = window.location.pathname + (ids.length ? "?m=" + ids.join(",") : "") + window.location.hash;
    window.history.pushState({ids: ids}, "", url);
  }

  function scoreText(results, key) {
    var parts = results.filter(function (r) { return r.b === key; }).map(function (r) {
      var extra = [r.variant, r.split, r.setting].filter(Boolean).join(", ");
      return r.score + (extra ? " (" + extra + ")" : "");
    });
    return parts.length ? parts.join("; ") : "—";
  }

  function rows(models) {
    var list = [
      ["I→O", function (m) { return m.io; }],
      ["Released", function (m) { return m.date; }],
      ["Functional division", function (m) { return m.functional; }],
      ["Design division", function (m) { return m.design; }]
    ];
    data.stages.forEach(function (s) {
      list.push([s[1], function (m) { return m.stages[s[0]]; }]);
    });
    list.push(["MM pre-training data", function (m) { return m.pretraining; }]);
    list.push(["MM instruction-tuning data", function (m) { return m.instruction_tuning; }]);
    list.push(["Open weights", function (m) { return m.open_weights; }]);
    Object.keys(data.benchmarks).forEach(function (key) {
      var used = models.some(function (m) { return m.results.some(function (r) { return r.b === key; }); });
      if (!used) return;
      var b = data.benchmarks[key];
      list.push([b.name + " (" + b.metric + ")", function (m) { return scoreText(m.results, key); }]);
    });
    return list;
  }

  function render(ids) {
    out.textContent = "";
    var models = ids.map(function (id) { return byId[id]; });
    input.disabled = models.length >= MAX;
    input.placeholder = models.length >= MAX ? "Remove a model to add another" : "Type a model name";
    if (!models.length) {
      out.appendChild(el("p", "No models picked yet: add two to four with the box above.", "mm-note"));
      return;
    }
    var table = el("table", null, "mm-compare-grid");
    table.appendChild(el("caption", models.length > 1
      ? "Rows where the models differ are highlighted."
      : "Add another model to compare."));
    var head = el("tr");
    head.appendChild(el("th", "Model")).setAttribute("scope", "col");
    models.forEach(function (m) {
      var th = el("th");
      th.setAttribute("scope", "col");
      var a = el("a", m.name);
      a.href = "../models/" + encodeURIComponent(m.id) + "/";
      th.appendChild(a);
      var btn = el("button", "Remove", "mm-remove");
      btn.type = "button";
      btn.setAttribute("aria-label", "Remove " + m.name);
      btn.addEventListener("click", function () {
        var next = ids.filter(function (x) { return x !== m.id; });
        setUrl(next);
        render(next);
        say(m.name + " removed.");
      });
      th.appendChild(document.createTextNode(" "));
      th.appendChild(btn);
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el("tbody");
    rows(models).forEach(function (row) {
      var values = models.map(row[1]);
      var differs = models.length > 1 && values.some(function (v) { return v !== values[0]; });
      var tr = el("tr", null, differs ? "mm-diff" : "");
      var th = el("th", row[0]);
      th.setAttribute("scope", "row");
      if (differs) th.appendChild(el("span", "differs", "mm-diff-mark"));
      tr.appendChild(th);
      values.forEach(function (v) { tr.appendChild(el("td", v)); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    out.appendChild(table);
  }

  function say(text) { status.textContent = text; }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!input.value.trim()) return;
    var m = byKey[input.value.trim().toLowerCase()];
    var ids = selectionFromUrl().ids;
    if (!m) { say("No model called “" + input.value.trim() + "”."); return; }
    if (ids.indexOf(m.id) >= 0) { say(m.name + " is already picked."); return; }
    if (ids.length >= MAX) { say("At most " + MAX + " models."); return; }
    ids.push(m.id);
    setUrl(ids);
    render(ids);
    input.value = "";
    say(m.name + " added.");
  });
  // picking a suggestion from the list adds it at once
  input.addEventListener("change", function () {
    if (byKey[input.value.trim().toLowerCase()]) form.requestSubmit();
  });
  window.addEventListener("popstate", function () { render(selectionFromUrl().ids); });

  var first = selectionFromUrl();
  render(first.ids);
  if (first.unknown.length) say("Not in the catalogue: " + first.unknown.join(", ") + ".");
})();
