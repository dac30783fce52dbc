/* opsbook runbook enhancements. Everything here is optional: the page works, and every
   step can be ticked, without this script. With it:
   - ticked steps are kept per runbook in localStorage, with the time the first step was
     ticked and a button to reset them;
   - each code block gets a copy button;
   - a review date in the past shows the stale-review warning;
   - the runbook index table sorts by any column. */
(function () {
  "use strict";

  function readState(key) {
    try {
      var raw = window.localStorage.getItem(key);
      var state = raw ? JSON.parse(raw) : null;
      if (state && Array.isArray(state.ticked)) return state;
    } catch (e) { /* storage blocked or corrupt: start fresh */ }
    return { started: null, ticked: [] };
  }

  function writeState(key, state) {
    try {
      if (state.ticked.length === 0) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(state));
    } catch (e) { /* storage blocked: ticks last until the page is left */ }
  }

  function formatTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    return d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  }

  function setupChecklist(runbook) {
    var key = runbook.getAttribute("data-runbook-key");
    var boxes = Array.prototype.slice.call(runbook.querySelectorAll(".step-check input[type=checkbox]"));
    var progress = runbook.querySelector("[data-runbook-progress]");
    var reset = runbook.querySelector("[data-runbook-reset]");
    if (!key || boxes.length === 0) return;
    var state = readState(key);

    function show() {
      var done = boxes.filter(function (b) { return b.checked; }).length;
      var text = done + " of " + boxes.length + " steps done";
      if (state.started) text += " · started " + formatTime(state.started);
      if (progress) progress.textContent = text;
      if (reset) reset.hidden = done === 0 && !state.started;
    }

    boxes.forEach(function (box) {
      box.checked = state.ticked.indexOf(box.name) !== -1;
      box.closest(".step").classList.toggle("is-done", box.checked);
      box.addEventListener("change", function () {
        state.ticked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.name; });
        if (box.checked && !state.started) state.started = new Date().toISOString();
        box.closest(".step").classList.toggle("is-done", box.checked);
        writeState(key, state);
        show();
      });
    });
    if (reset) {
      reset.addEventListener("click", function () {
        boxes.forEach(function (b) {
          b.checked = false;
          b.closest(".step").classList.remove("is-done");
        });
        state = { started: null, ticked: [] };
        writeState(key, state);
        show();
      });
    }
    show();
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }

  function setupCopyButtons(root) {
    root.querySelectorAll("pre").forEach(function (pre) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy this code");
      button.addEventListener("click", function () {
        copyText(pre.innerText).then(function () {
          button.textContent = "Copied";
          window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
        }, function () { button.textContent = "Select and copy"; });
      });
      var wrap = document.createElement("div");
      wrap.className = "code-wrap";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(button);
      wrap.appendChild(pre);
    });
  }

  function todayIso() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function showStaleWarnings() {
    var today = todayIso();
    document.querySelectorAll("[data-review-due]").forEach(function (el) {
      if (el.getAttribute("data-review-due") >= today) return;
      el.querySelectorAll("[data-stale-warning]").forEach(function (w) { w.hidden = false; });
    });
  }

  function setupSorting(table) {
    var body = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, column) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-value") || "";
          var y = b.cells[column].getAttribute("data-value") || "";
          var order = kind === "number" ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function start() {
    document.querySelectorAll("[data-runbook-key]").forEach(function (runbook) {
      setupChecklist(runbook);
      setupCopyButtons(runbook);
    });
    document.querySelectorAll("table[data-sortable]").forEach(setupSorting);
    showStaleWarnings();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
