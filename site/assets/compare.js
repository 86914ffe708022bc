/* MM-LLMs Atlas: side-by-side comparison (compare/). No dependencies.
 * Reads the JSON blob the builder embeds in the page; the selection lives in the URL as
 * ?m=id1,id2 so a shared address shows the same comparison (a name or an alias there is read
 * too, and the address rewritten with ids). A row is marked as differing only when two known
 * values differ: "unknown", "not reported" and a missing score are not values. All record
 * text is inserted with textContent, never as HTML. */
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

  // an id first, then a name or an alias, in any case
  function find(text) {
    return byId[text] || byKey[text.toLowerCase()] || null;
  }

  function selectionFromUrl() {
    var raw = new URLSearchParams(window.location.search).get("m") || "";
    var ids = [], unknown = [];
    raw.split(",").forEach(function (part) {
      var key = part.trim(), m = key && find(key);
      if (!key) return;
      if (!m) { unknown.push(key); return; }
      if (ids.indexOf(m.id) < 0 && ids.length < MAX) ids.push(m.id);
    });
    return {ids: ids, unknown: unknown};
  }

  function setUrl(ids) {
    var url = window.location.pathname + (ids.length ? "?m=" + ids.join(",") : "") + window.location.hash;
    window.history.pushState({ids: ids}, "", url);
  }

  var MISSING = "—";
  // not values: nothing to compare with
  var UNKNOWN = {"unknown": true, "not reported": true, "—": true, "": true};

  // a row: [label, the text of a model's cell, the value compared (null = none)]
  function textRow(label, get) {
    return [label, get, function (m) {
      var v = String(get(m)).replace(/\s+/g, " ").trim().toLowerCase();
      return UNKNOWN[v] ? null : v;
    }];
  }

  function scoreText(m, key) {
    var r = m.best[key];
    if (!r) return MISSING;
    var extra = [r.variant, r.split, r.setting].filter(Boolean).join(", ");
    return r.score + (extra ? " (" + extra + ")" : "") + (r.n > 1 ? " · best of " + r.n : "");
  }

  function rows(models) {
    var list = [
      textRow("I→O", function (m) { return m.io; }),
      textRow("Released", function (m) { return m.date; }),
      textRow("Functional division", function (m) { return m.functional; }),
      textRow("Design division", function (m) { return m.design; })
    ];
    data.stages.forEach(function (s) {
      list.push(textRow(s[1], function (m) { return m.stages[s[0]]; }));
    });
    list.push(textRow("MM pre-training data", function (m) { return m.pretraining; }));
    list.push(textRow("MM instruction-tuning data", function (m) { return m.instruction_tuning; }));
    list.push(textRow("Open weights", function (m) { return m.open_weights; }));
    Object.keys(data.benchmarks).forEach(function (key) {
      if (!models.some(function (m) { return m.best[key]; })) return;
      var b = data.benchmarks[key];
      list.push([b.name + " (" + b.metric + ")", function (m) { return scoreText(m, key); },
                 function (m) { return m.best[key] ? m.best[key].v : null; }]);
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
      ? "Rows where the models differ are highlighted (a value missing or unknown for a model is not a difference). Scores: each model's best per benchmark."
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
      var known = models.map(row[2]).filter(function (v) { return v !== null; });
      var differs = known.some(function (v) { return v !== known[0]; });
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
    var m = find(input.value.trim());
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
    if (find(input.value.trim())) form.requestSubmit();
  });
  window.addEventListener("popstate", function () { render(selectionFromUrl().ids); });

  var first = selectionFromUrl();
  // names and aliases in a shared address become ids, so the address says what is shown
  var url = window.location.pathname + (first.ids.length ? "?m=" + first.ids.join(",") : "") +
    window.location.hash;
  if (url !== window.location.pathname + window.location.search + window.location.hash) {
    window.history.replaceState({ids: first.ids}, "", url);
  }
  render(first.ids);
  if (first.unknown.length) say("Not in the catalogue: " + first.unknown.join(", ") + ".");
})();
