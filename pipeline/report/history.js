/* planx report, "What changed": per plan published in several versions, what moved between
   its last two versions. Renders data.history; text only through textContent. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("planx-data").textContent);
  var history = data.history || { lineages: [], n_single: 0 };
  var SVGNS = "http://www.w3.org/2000/svg";
  var COLOURS = {
    complete: "#1f5fbf", on_track: "#2e8b3e", at_risk: "#e0a100", off_track: "#c62828",
    not_started: "#8d8d8d", unknown: "#cfd3da", "new": "#ffffff", dropped: "#ffffff"
  };
  var KINDS = [["status", "status"], ["due_date", "due date"], ["lead", "lead"], ["text", "reworded"],
               ["ref", "renumbered"], ["added", "added"], ["dropped", "dropped"]];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function words(s) { return String(s).replace(/_/g, " "); }

  /* One row per (before, after) pair: a bar in the colour before, then in the colour after,
     as long as the number of actions that moved that way. */
  function flowChart(flows, from, to) {
    var max = flows.reduce(function (m, f) { return Math.max(m, f.n); }, 0) || 1;
    var labelW = 230, barW = 420, rowH = 18, gap = 6, width = labelW + barW + 50;
    var height = flows.length * (rowH + gap) + gap;
    var svg = svgEl("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img",
                             "class": "flows" });
    svg.appendChild(svgEl("title", {}, "Status of each action at " + from + " and at " + to));
    flows.forEach(function (f, i) {
      var y = gap + i * (rowH + gap), w = Math.max(barW * f.n / max, 2);
      var text = words(f.from) + " \u2192 " + words(f.to);
      svg.appendChild(svgEl("text", { x: labelW - 6, y: y + rowH / 2 + 4, "text-anchor": "end" }, text));
      var g = svgEl("g", { "class": "flow", "data-from": f.from, "data-to": f.to, "data-n": f.n });
      g.appendChild(svgEl("title", {}, text + ": " + f.n));
      g.appendChild(svgEl("rect", { x: labelW, y: y, width: w / 2, height: rowH, fill: COLOURS[f.from] || "#999",
                                    stroke: "#888", "stroke-width": 0.5 }));
      g.appendChild(svgEl("rect", { x: labelW + w / 2, y: y, width: w / 2, height: rowH, fill: COLOURS[f.to] || "#999",
                                    stroke: "#888", "stroke-width": 0.5 }));
      svg.appendChild(g);
      svg.appendChild(svgEl("text", { x: labelW + w + 6, y: y + rowH / 2 + 4 }, f.n));
    });
    return svg;
  }

  function table(rows, head, cells, cls) {
    var t = el("table", null, "data " + cls);
    var tr = el("tr");
    head.forEach(function (h) { tr.appendChild(el("th", h)); });
    var thead = el("thead"); thead.appendChild(tr); t.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (r) {
      var row = el("tr");
      row.setAttribute("data-action-key", r.action_key);
      cells(r).forEach(function (c) { row.appendChild(el("td", c)); });
      tbody.appendChild(row);
    });
    t.appendChild(tbody);
    return t;
  }

  function block(parent, title, rows, make) {
    if (!rows.length) { return; }
    parent.appendChild(el("h4", title + " (" + rows.length + ")"));
    var wrap = el("div", null, "scroll");
    wrap.appendChild(make(rows));
    parent.appendChild(wrap);
  }

  function renderLineage(l) {
    var box = el("div", null, "lineage");
    box.setAttribute("data-lineage", l.lineage_id);
    box.appendChild(el("h3", l.authority + " \u2014 " + (l.title || "(untitled plan)")));
    var versions = l.versions.map(function (v) {
      return (v.as_at || "undated") + " (" + v.n_actions + " actions, " + v.source + ")";
    });
    box.appendChild(el("p", l.versions.length + " versions: " + versions.join("; ") + ".", "hint"));
    var from = l.versions[l.versions.length - 2].as_at || "the version before";
    var to = l.versions[l.versions.length - 1].as_at || "the latest version";
    box.appendChild(el("p", "Between " + from + " and " + to + ":"));
    var counts = el("p", null, "counts");
    KINDS.forEach(function (k) {
      var n = l.counts[k[0]] || 0;
      var b = el("span", k[1] + " " + n, "badge");
      b.setAttribute("data-change", k[0]);
      counts.appendChild(b);
      counts.appendChild(document.createTextNode(" "));
    });
    box.appendChild(counts);
    box.appendChild(el("h4", "Status flow"));
    box.appendChild(flowChart(l.flows, from, to));
    block(box, "Due dates moved", l.due_moved, function (rows) {
      return table(rows, ["Ref", "Action", "Was due", "Now due"], function (r) {
        return [r.ref, r.action, r.old || "(no date)", r.new || "(no date)"];
      }, "due-moved");
    });
    block(box, "Added", l.added, function (rows) {
      return table(rows, ["Ref", "Action", "Status"], function (r) { return [r.ref, r.action, words(r.new)]; }, "added");
    });
    block(box, "Dropped", l.dropped, function (rows) {
      return table(rows, ["Ref", "Action", "Last status"], function (r) { return [r.ref, r.action, words(r.old)]; },
                   "dropped");
    });
    block(box, "Reworded", l.reworded, function (rows) {
      return table(rows, ["Ref", "Was", "Now"], function (r) { return [r.ref, r.old, r.new]; }, "reworded");
    });
    return box;
  }

  var section = document.getElementById("history-body");
  if (!section) { return; }
  if (!history.lineages.length) {
    section.appendChild(el("p", "No plan was read in more than one version.", "empty"));
  }
  history.lineages.forEach(function (l) { section.appendChild(renderLineage(l)); });
  if (history.n_single) {
    section.appendChild(el("p", history.n_single + " plan(s) were read in one version only.", "hint"));
  }
  document.documentElement.setAttribute("data-history-rendered", "true");
})();
