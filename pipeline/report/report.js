/* planx report: renders the JSON embedded in #planx-data. Document text only ever
   reaches the page through textContent or SVG text nodes, never innerHTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("planx-data").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var PAGE = 200;
  var MEANINGS = data.meanings || [];
  var STATUS_COLOURS = {
    complete: "#1f5fbf", on_track: "#2e8b3e", at_risk: "#e0a100",
    off_track: "#c62828", not_started: "#8d8d8d", unknown: "#cfd3da"
  };
  var PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"
  ];

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
  function blank(v) { return v === null || v === undefined || v === ""; }
  function pct(x) { return blank(x) ? "" : (Math.round(x * 1000) / 10) + "%"; }
  function unique(values) {
    var seen = {}, out = [];
    values.forEach(function (v) { if (!blank(v) && !seen[v]) { seen[v] = true; out.push(v); } });
    return out;
  }
  function byText(a, b) { return String(a).localeCompare(String(b), "en", { numeric: true }); }
  function short(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function label(svg, x, y, text) {
    var t = svgEl("text", { x: x, y: y, "text-anchor": "end" }, short(text, 34));
    t.appendChild(svgEl("title", {}, text));
    svg.appendChild(t);
  }
  function meaningText(c) { return String(c).replace(/_/g, " "); }
  function authorities() {
    return (data.summary || []).map(function (r) { return r.authority; });
  }
  function legend(container, cats, colourOf, format) {
    var ul = el("ul", null, "legend");
    cats.forEach(function (c) {
      var li = el("li");
      var sw = el("span", null, "swatch");
      sw.style.background = colourOf(c);
      li.appendChild(sw);
      li.appendChild(document.createTextNode(format ? format(c) : String(c)));
      ul.appendChild(li);
    });
    container.appendChild(ul);
  }
  function emptyNote(container, text) { container.appendChild(el("p", text, "empty")); }

  // ------------------------------------------------------------------ summary

  function renderSummary() {
    var table = document.getElementById("summary-table");
    var head = ["Authority", "LA code", "ONS code", "Region", "Plans", "Actions", "KPIs", "Status mix (actions)",
                "Reported in prose", "Latest inspection", "Sources"];
    var tr = el("tr");
    head.forEach(function (h, i) { tr.appendChild(el("th", h, i >= 4 && i <= 6 ? "num" : "")); });
    var thead = el("thead"); thead.appendChild(tr); table.appendChild(thead);
    var tbody = el("tbody");
    (data.summary || []).forEach(function (r) {
      var row = el("tr");
      row.appendChild(el("td", r.authority));
      row.appendChild(el("td", r.authority_la_code));
      row.appendChild(el("td", r.authority_ons_code));
      row.appendChild(el("td", r.region));
      row.appendChild(el("td", r.n_plans, "num"));
      row.appendChild(el("td", r.n_actions, "num"));
      row.appendChild(el("td", r.n_kpis, "num"));
      var mix = el("td");
      MEANINGS.forEach(function (m) {
        var n = r["n_" + m];
        if (n) {
          var b = el("span", m.replace(/_/g, " ") + " " + n, "badge");
          b.style.borderColor = STATUS_COLOURS[m] || "#999";
          mix.appendChild(b);
          mix.appendChild(document.createTextNode(" "));
        }
      });
      row.appendChild(mix);
      row.appendChild(el("td", blank(r.n_reported) ? "" : r.n_reported, "num"));
      var src = el("td", null, "src sources");
      String(r.sources || "").split("; ").forEach(function (f) { if (f) { src.appendChild(el("div", f)); } });
      if (r.n_copies_skipped) {
        src.appendChild(el("div", "left out as copies of these:", "kpi-detail"));
        r.copies_skipped.split("; ").forEach(function (f) { src.appendChild(el("div", f, "kpi-detail")); });
      }
      row.appendChild(inspectionCell(r));
      row.appendChild(src);
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
  }
  function inspectionCell(r) {
    var td = el("td", r.inspection_overall || "", "inspection");
    if (!blank(r.inspection_published || r.inspection_end)) {
      td.appendChild(el("span", "published " + (r.inspection_published || "") +
        (blank(r.inspection_end) ? "" : "; inspected to " + r.inspection_end), "kpi-detail"));
    }
    if (!blank(r.inspection_basis)) {
      td.appendChild(el("span", r.inspection_basis === "register" ? "from the register" : "read from " + r.inspection_basis, "kpi-detail"));
    }
    return td;
  }

  // ------------------------------------------------------------------ recommendations

  function renderRecommendations() {
    var box = document.getElementById("recommendations-list");
    var recs = data.recommendations || [];
    var links = data.recommendation_links || [];
    if (!recs.length) { emptyNote(box, "No inspection report was read in this batch."); return; }
    var linksOf = {};
    links.forEach(function (l) {
      var key = l.source + "\u0000" + l.rec_n;
      (linksOf[key] = linksOf[key] || []).push(l);
    });
    var sources = unique(recs.map(function (r) { return r.source; }));
    sources.sort(function (a, b) {
      var ra = recs.filter(function (r) { return r.source === a; })[0];
      var rb = recs.filter(function (r) { return r.source === b; })[0];
      return byText(ra.authority + a, rb.authority + b);
    });
    var total = 0, open = 0;
    sources.forEach(function (source) {
      var mine = recs.filter(function (r) { return r.source === source; });
      var block = el("div", null, "inspection");
      block.setAttribute("data-source", source);
      var addressed = mine.filter(function (r) { return r.addressed === true; }).length;
      block.appendChild(el("h3", mine[0].authority + " \u2014 " + source));
      var answered = mine[0].n_plans > 0;
      block.appendChild(el("p", answered
        ? addressed + " of " + mine.length + " recommendations addressed by " + mine[0].n_plans + " plan(s) in this batch"
        : "No plan in this batch answers this inspection (same authority, dated after it or undated).", "hint"));
      // Unaddressed first, then in the report's order.
      mine = mine.slice().sort(function (a, b) {
        return (a.addressed === true) - (b.addressed === true) || a.rec_n - b.rec_n;
      });
      mine.forEach(function (r) {
        total += 1;
        if (r.addressed !== true) { open += 1; }
        var item = el("div", null, "rec " + (r.addressed === true ? "addressed" : "unaddressed"));
        item.setAttribute("data-rec", r.rec_n);
        item.setAttribute("data-addressed", r.addressed === true ? "true" : "false");
        var title = el("p", null, "rec-text");
        title.appendChild(el("strong", r.rec_n + ". "));
        title.appendChild(document.createTextNode(r.text));
        item.appendChild(title);
        var state = r.addressed === true
          ? "addressed (" + r.basis + ")" : answered ? "not addressed" : "no plan";
        var badge = el("span", state, "badge");
        badge.title = blank(r.best_score) ? "no link" : "best score " + r.best_score;
        var meta = el("p", null, "kpi-detail");
        meta.appendChild(badge);
        meta.appendChild(document.createTextNode(" " + (r.about === "LSCB" ? "for the LSCB" : "for the local authority") +
          (blank(r.page) ? "" : ", p. " + r.page) + "; " + r.n_linked_actions + " action(s), " + r.n_linked_kpis + " KPI(s) linked"));
        item.appendChild(meta);
        var mineLinks = linksOf[r.source + "\u0000" + r.rec_n] || [];
        if (mineLinks.length) {
          var table = el("table", null, "data links");
          var tr = el("tr");
          ["#", "Kind", "Ref", "Action or KPI", "Status", "Score", "Why", "Source"].forEach(function (h) { tr.appendChild(el("th", h)); });
          var thead = el("thead"); thead.appendChild(tr); table.appendChild(thead);
          var tbody = el("tbody");
          mineLinks.forEach(function (l) {
            var row = el("tr");
            row.setAttribute("data-item-id", l.item_id);
            row.appendChild(el("td", l.rank, "num"));
            row.appendChild(el("td", l.item_kind));
            row.appendChild(el("td", l.item_ref));
            row.appendChild(el("td", l.item_text, "action"));
            var st = el("td");
            var sb = el("span", meaningText(l.status_meaning || "unknown"), "badge");
            sb.style.borderColor = STATUS_COLOURS[l.status_meaning] || "#999";
            st.appendChild(sb); row.appendChild(st);
            row.appendChild(el("td", blank(l.score) ? "" : Number(l.score).toFixed(2), "num"));
            row.appendChild(el("td", l.basis + (blank(l.terms) ? "" : ": " + l.terms)));
            row.appendChild(el("td", l.item_source + (blank(l.item_page) ? "" : " p. " + l.item_page), "src"));
            tbody.appendChild(row);
          });
          table.appendChild(tbody);
          var scroll = el("div", null, "scroll"); scroll.appendChild(table);
          item.appendChild(scroll);
        }
        block.appendChild(item);
      });
      box.appendChild(block);
    });
    document.getElementById("recommendation-count").textContent =
      total + " recommendations, " + open + " not addressed";
  }

  // ------------------------------------------------------------------ charts

  /* One 100% stacked horizontal bar per group; segments are categories. */
  function stackedChart(container, rows, o) {
    if (!rows.length) { emptyNote(container, "Nothing to compare."); return; }
    var groups = unique(rows.map(o.group));
    var cats = o.categories || unique(rows.map(function (r) { return r[o.cat]; })).sort(byText);
    var colourOf = o.colourOf || function (c) { return PALETTE[cats.indexOf(c) % PALETTE.length]; };
    var labelW = 220, barW = 560, rowH = 22, gap = 8, width = labelW + barW + 60;
    var height = groups.length * (rowH + gap) + gap;
    var svg = svgEl("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img" });
    svg.appendChild(svgEl("title", {}, o.title));
    groups.forEach(function (g, i) {
      var y = gap + i * (rowH + gap);
      var mine = rows.filter(function (r) { return o.group(r) === g; });
      var total = mine.reduce(function (s, r) { return s + (r[o.value] || 0); }, 0);
      label(svg, labelW - 6, y + rowH / 2 + 4, g);
      var x = labelW;
      cats.forEach(function (c) {
        var r = mine.filter(function (m) { return m[o.cat] === c; })[0];
        if (!r || !r[o.value]) { return; }
        var w = total ? barW * r[o.value] / total : 0;
        var rect = svgEl("rect", { "class": "bar", x: x, y: y, width: Math.max(w, 0.5), height: rowH, fill: colourOf(c) });
        rect.setAttribute("data-group", g);
        rect.setAttribute("data-category", c);
        rect.appendChild(svgEl("title", {}, g + " \u2014 " + (o.format ? o.format(c) : c) + ": " + r[o.value] +
          " (" + pct(total ? r[o.value] / total : 0) + ")"));
        svg.appendChild(rect);
        x += w;
      });
      svg.appendChild(svgEl("text", { x: labelW + barW + 6, y: y + rowH / 2 + 4 }, total));
    });
    container.appendChild(svg);
    legend(container, cats.filter(function (c) {
      return rows.some(function (r) { return r[o.cat] === c && r[o.value]; });
    }), colourOf, o.format);
  }

  /* Vertical bars: one cluster per x category, one bar per series. */
  function groupedChart(container, rows, o) {
    if (!rows.length) { emptyNote(container, "Nothing to compare."); return; }
    var xs = unique(rows.map(function (r) { return r[o.x]; })).sort(byText);
    var series = unique(rows.map(function (r) { return r[o.series]; }));
    var colourOf = function (s) { return PALETTE[series.indexOf(s) % PALETTE.length]; };
    var max = rows.reduce(function (m, r) { return Math.max(m, r[o.value] || 0); }, 0) || 1;
    var barW = 12, clusterGap = 14, left = 40, top = 10, plotH = 200, bottom = 64;
    var clusterW = series.length * barW + clusterGap;
    var width = Math.max(600, left + xs.length * clusterW + 20), height = top + plotH + bottom;
    var svg = svgEl("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img" });
    svg.appendChild(svgEl("title", {}, o.title));
    svg.appendChild(svgEl("line", { "class": "axis", x1: left, y1: top + plotH, x2: width - 10, y2: top + plotH }));
    svg.appendChild(svgEl("line", { "class": "axis", x1: left, y1: top, x2: left, y2: top + plotH }));
    svg.appendChild(svgEl("text", { x: left - 4, y: top + 8, "text-anchor": "end" }, max));
    svg.appendChild(svgEl("text", { x: left - 4, y: top + plotH, "text-anchor": "end" }, 0));
    xs.forEach(function (xv, i) {
      var x0 = left + 8 + i * clusterW;
      series.forEach(function (s, j) {
        var r = rows.filter(function (m) { return m[o.x] === xv && m[o.series] === s; })[0];
        if (!r) { return; }
        var h = plotH * r[o.value] / max;
        var rect = svgEl("rect", { "class": "bar", x: x0 + j * barW, y: top + plotH - h, width: barW - 2, height: Math.max(h, 0.5), fill: colourOf(s) });
        rect.setAttribute("data-group", s);
        rect.setAttribute("data-category", xv);
        rect.appendChild(svgEl("title", {}, s + " \u2014 " + xv + ": " + r[o.value]));
        svg.appendChild(rect);
      });
      var tx = x0 + (series.length * barW) / 2, ty = top + plotH + 12;
      svg.appendChild(svgEl("text", { x: tx, y: ty, "text-anchor": "end", transform: "rotate(-40 " + tx + " " + ty + ")" }, xv));
    });
    container.appendChild(svg);
    legend(container, series, colourOf);
  }

  /* Horizontal bars, one per authority. */
  function simpleChart(container, counts, o) {
    var names = Object.keys(counts);
    if (!names.length) { emptyNote(container, "Nothing to compare."); return; }
    var max = names.reduce(function (m, n) { return Math.max(m, counts[n]); }, 0) || 1;
    var labelW = 220, barW = 460, rowH = 20, gap = 8, width = labelW + barW + 60;
    var height = names.length * (rowH + gap) + gap;
    var svg = svgEl("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img" });
    svg.appendChild(svgEl("title", {}, o.title));
    names.forEach(function (n, i) {
      var y = gap + i * (rowH + gap), w = barW * counts[n] / max;
      label(svg, labelW - 6, y + rowH / 2 + 4, n);
      var rect = svgEl("rect", { "class": "bar", x: labelW, y: y, width: Math.max(w, 0.5), height: rowH, fill: o.colour });
      rect.setAttribute("data-group", n);
      rect.appendChild(svgEl("title", {}, n + ": " + counts[n]));
      svg.appendChild(rect);
      svg.appendChild(svgEl("text", { x: labelW + Math.max(w, 0.5) + 6, y: y + rowH / 2 + 4 }, counts[n]));
    });
    container.appendChild(svg);
  }

  function renderCharts() {
    stackedChart(document.getElementById("chart-themes"), data.theme_counts || [], {
      title: "Share of actions by theme", group: function (r) { return r.authority; }, cat: "theme_std", value: "n_actions"
    });
    stackedChart(document.getElementById("chart-status"), data.status_mix || [], {
      title: "Status mix", value: "n_actions", cat: "status_meaning", categories: MEANINGS,
      group: function (r) {
        return r.source === "extracted" ? r.authority : r.authority + " (" + r.source.replace("_", " ") + ")";
      },
      colourOf: function (c) { return STATUS_COLOURS[c] || "#999"; }, format: meaningText
    });
    stackedChart(document.getElementById("chart-leads"), data.lead_roles || [], {
      title: "Lead role families", group: function (r) { return r.authority; }, cat: "role_family", value: "n_leads"
    });
    var due = data.due_quarters || [];
    var undated = due.filter(function (r) { return r.due_quarter === data.no_date; })
      .reduce(function (s, r) { return s + r.n_actions; }, 0);
    document.getElementById("due-hint").textContent = undated ?
      undated + " action(s) with no due date (\"TBC\", \"ongoing\", blank) are left out of the chart." : "";
    groupedChart(document.getElementById("chart-due"), due.filter(function (r) { return r.due_quarter !== data.no_date; }), {
      title: "Actions due by quarter", x: "due_quarter", series: "authority", value: "n_actions"
    });
    var hint = document.getElementById("overdue-hint");
    var overdue = data.overdue || [];
    if (data.overdue_note) {
      hint.textContent = data.overdue_note;
      emptyNote(document.getElementById("chart-overdue"), "Overdue actions were not judged.");
      return;
    }
    hint.textContent = data.as_of ? "Not complete and due before " + data.as_of + "." :
      "As flagged in the actions table (overdue column).";
    var counts = {};
    authorities().forEach(function (a) { counts[a] = 0; });
    overdue.forEach(function (r) { counts[r.authority] = (counts[r.authority] || 0) + 1; });
    simpleChart(document.getElementById("chart-overdue"), counts, { title: "Overdue actions", colour: STATUS_COLOURS.off_track });
  }

  // ------------------------------------------------------------------ KPI targets

  function renderKpis() {
    var table = document.getElementById("kpi-table");
    var box = document.getElementById("kpi-shared-only");
    var rows = data.kpi_targets || [];
    var auths = unique(rows.map(function (r) { return r.authority; })).sort(byText);
    var measures = {}, order = [];
    rows.forEach(function (r) {
      if (!measures[r.measure_key]) { measures[r.measure_key] = { label: r.measure_label, n: r.n_authorities, rows: [] }; order.push(r.measure_key); }
      measures[r.measure_key].rows.push(r);
    });
    order.sort(function (a, b) {
      return (measures[b].n - measures[a].n) || byText(measures[a].label, measures[b].label) || byText(a, b);
    });
    box.checked = order.some(function (k) { return measures[k].n > 1; });
    function draw() {
      while (table.firstChild) { table.removeChild(table.firstChild); }
      var thead = el("thead"), tr = el("tr");
      tr.appendChild(el("th", "Measure"));
      auths.forEach(function (a) { tr.appendChild(el("th", a)); });
      thead.appendChild(tr); table.appendChild(thead);
      var tbody = el("tbody"), shown = 0;
      order.forEach(function (key) {
        var m = measures[key];
        if (box.checked && m.n < 2) { return; }
        shown += 1;
        var row = el("tr");
        var first = el("td");
        first.appendChild(el("span", m.label, "kpi-target"));
        first.appendChild(el("span", key, "kpi-detail"));
        row.appendChild(first);
        auths.forEach(function (a) {
          var td = el("td");
          m.rows.filter(function (r) { return r.authority === a; }).forEach(function (r) {
            var item = el("div", null, "kpi-item");
            item.appendChild(el("span", blank(r.target_raw) ? "(no target)" : r.target_raw, "kpi-target"));
            if (!blank(r.target_due)) { item.appendChild(document.createTextNode(" by " + r.target_due)); }
            var where = [r.measure, r.source].concat(blank(r.page) ? [] : ["p." + r.page]);
            item.appendChild(el("span", where.join(" \u00b7 "), "kpi-detail"));
            item.title = "kpi_id " + r.kpi_id + "; match " + r.match_kind + " (" + r.match_score + ")";
            td.appendChild(item);
          });
          row.appendChild(td);
        });
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
      document.getElementById("kpi-count").textContent = " " + shown + " of " + order.length + " measures";
    }
    box.addEventListener("change", draw);
    draw();
  }

  // ------------------------------------------------------------------ actions table

  function renderActions() {
    var cols = data.actions.columns, idx = {};
    cols.forEach(function (c, i) { idx[c] = i; });
    var all = data.actions.rows.map(function (r) {
      var o = {};
      cols.forEach(function (c, i) { o[c] = r[i]; });
      o._text = [o.authority, o.ref, o.theme, o.theme_std, o.action, o.leads, o.source, o.due_raw, o.status_meaning]
        .map(function (v) { return blank(v) ? "" : String(v); }).join(" \u0001 ").toLowerCase();
      return o;
    });
    var headers = [
      ["authority", "Authority"], ["ref", "Ref"], ["theme", "Theme"], ["action", "Action"], ["leads", "Leads"],
      ["due_date", "Due"], ["status_meaning", "Status"], ["overdue", "Overdue"], ["source", "Source"]
    ];
    var state = { col: null, dir: 1, shown: PAGE, rows: all };
    var text = document.getElementById("filter-text");
    var selects = {
      authority: document.getElementById("filter-authority"),
      theme_std: document.getElementById("filter-theme"),
      status_meaning: document.getElementById("filter-status")
    };
    var names = { authority: "All authorities", theme_std: "All themes", status_meaning: "All statuses" };
    Object.keys(selects).forEach(function (f) {
      var s = selects[f];
      var opt = el("option", names[f]); opt.value = ""; s.appendChild(opt);
      var values = unique(all.map(function (r) { return r[f]; }));
      if (f === "status_meaning") {
        values.sort(function (a, b) { return MEANINGS.indexOf(a) - MEANINGS.indexOf(b); });
      } else { values.sort(byText); }
      values.forEach(function (v) { var o = el("option", String(v).replace(/_/g, " ")); o.value = v; s.appendChild(o); });
      s.addEventListener("change", update);
    });
    text.addEventListener("input", update);

    var table = document.getElementById("actions-table");
    var thead = table.tHead, tbody = table.tBodies[0];
    var htr = el("tr");
    headers.forEach(function (h) {
      var th = el("th", h[1]);
      th.setAttribute("data-col", h[0]);
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      th.addEventListener("click", function () { sortBy(h[0]); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(h[0]); } });
      htr.appendChild(th);
    });
    thead.appendChild(htr);
    var more = document.getElementById("show-more");
    more.addEventListener("click", function () { state.shown += PAGE; draw(); });

    function compare(a, b) {
      var x = a[state.col], y = b[state.col];
      if (blank(x) && blank(y)) { return 0; }
      if (blank(x)) { return 1; }   // blanks last whichever the direction
      if (blank(y)) { return -1; }
      var c = (typeof x === "number" && typeof y === "number") ? x - y :
        (typeof x === "boolean") ? (x === y ? 0 : (x ? -1 : 1)) : byText(x, y);
      return c * state.dir;
    }
    function sortBy(col) {
      state.dir = state.col === col ? -state.dir : 1;
      state.col = col;
      Array.prototype.forEach.call(thead.querySelectorAll("th"), function (th) {
        th.setAttribute("aria-sort", th.getAttribute("data-col") === col ? (state.dir > 0 ? "ascending" : "descending") : "none");
      });
      update(true);
    }
    function update(keepPage) {
      var q = text.value.trim().toLowerCase();
      var rows = all.filter(function (r) {
        if (q && r._text.indexOf(q) < 0) { return false; }
        return Object.keys(selects).every(function (f) { return !selects[f].value || r[f] === selects[f].value; });
      });
      if (state.col) {
        rows = rows.map(function (r, i) { return [r, i]; })
          .sort(function (a, b) { return compare(a[0], b[0]) || a[1] - b[1]; })
          .map(function (p) { return p[0]; });
      }
      state.rows = rows;
      if (keepPage !== true) { state.shown = PAGE; }
      draw();
    }
    function sourceText(r) {
      var parts = [r.source];
      if (!blank(r.page)) { parts.push("p." + r.page); }
      if (!blank(r.table_index)) { parts.push("table " + (r.table_index + 1)); }
      if (!blank(r.row_index)) { parts.push("row " + (r.row_index + 1)); }
      return parts.join(" \u00b7 ");
    }
    function draw() {
      while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
      var frag = document.createDocumentFragment();
      state.rows.slice(0, state.shown).forEach(function (r) {
        var tr = el("tr");
        tr.setAttribute("data-action-id", r.action_id);
        tr.appendChild(el("td", r.authority));
        tr.appendChild(el("td", r.ref));
        var theme = el("td", r.theme); theme.title = "common theme: " + r.theme_std; tr.appendChild(theme);
        tr.appendChild(el("td", r.action, "action"));
        tr.appendChild(el("td", r.leads));
        var due = el("td", blank(r.due_date) ? r.due_raw : r.due_date);
        if (!blank(r.due_raw)) { due.title = "as written: " + r.due_raw; }
        tr.appendChild(due);
        var st = el("td");
        var badge = el("span", String(r.status_meaning || "unknown").replace(/_/g, " "), "badge");
        badge.style.borderColor = STATUS_COLOURS[r.status_meaning] || "#999";
        if (!blank(r.status)) { badge.title = "colour: " + r.status; }
        st.appendChild(badge); tr.appendChild(st);
        tr.appendChild(el("td", r.overdue === true ? "yes" : r.overdue === false ? "no" : ""));
        var src = el("td", sourceText(r), "src");
        src.title = "action_id " + r.action_id;
        tr.appendChild(src);
        frag.appendChild(tr);
      });
      tbody.appendChild(frag);
      var n = Math.min(state.shown, state.rows.length);
      document.getElementById("row-count").textContent =
        "Showing " + n + " of " + state.rows.length + " matching actions (" + all.length + " in all)";
      more.hidden = state.rows.length <= state.shown;
      more.textContent = "Show " + Math.min(PAGE, state.rows.length - state.shown) + " more";
    }
    update();
  }

  renderSummary();
  renderCharts();
  renderKpis();
  renderRecommendations();
  renderActions();
  document.documentElement.setAttribute("data-rendered", "true");
})();
