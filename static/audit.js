/* opsbook findings filter. Optional: without this script every finding is listed, in
   triage order, with links to each severity's rows. With it, the filter form above the
   findings (rendered hidden) is shown, and rows can be narrowed by severity, scanner,
   whether a fix exists and VEX status; each row group's count follows, and groups left
   empty are hidden. Rows carry what is filtered on: data-severity, data-tools
   ("Grype|Trivy"), data-fix ("yes"/"no") and data-vex (absent: no statement). */
(function () {
  "use strict";

  function checkedValues(form, name) {
    return Array.prototype.slice
      .call(form.querySelectorAll("input[name=" + name + "]"))
      .filter(function (box) { return box.checked; })
      .map(function (box) { return box.value; });
  }

  function fieldValue(form, name) {
    var field = form.querySelector("[name=" + name + "]");
    if (!field) return "";
    if (field.type === "checkbox") return field.checked ? field.value : "";
    return field.value;
  }

  function rowMatches(row, wanted) {
    if (wanted.severities.indexOf(row.getAttribute("data-severity")) === -1) return false;
    if (wanted.tool) {
      var tools = (row.getAttribute("data-tools") || "").split("|");
      if (tools.indexOf(wanted.tool) === -1) return false;
    }
    if (wanted.fix && row.getAttribute("data-fix") !== "yes") return false;
    if (wanted.vex) {
      var vex = row.getAttribute("data-vex") || "none";
      if (vex !== wanted.vex) return false;
    }
    return true;
  }

  function apply(form, section) {
    var wanted = {
      severities: checkedValues(form, "severity"),
      tool: fieldValue(form, "tool"),
      fix: fieldValue(form, "fix"),
      vex: fieldValue(form, "vex")
    };
    var shown = 0;
    var total = 0;
    section.querySelectorAll("tbody[data-group]").forEach(function (group) {
      var visible = 0;
      group.querySelectorAll("tr.finding").forEach(function (row) {
        var match = rowMatches(row, wanted);
        row.hidden = !match;
        total += 1;
        if (match) visible += 1;
      });
      shown += visible;
      group.hidden = visible === 0;
      var count = group.querySelector("[data-group-count]");
      if (count) count.textContent = String(visible);
    });
    var result = form.querySelector("[data-filter-result]");
    if (result) {
      result.textContent = shown === total
        ? "Showing all " + total + " findings"
        : "Showing " + shown + " of " + total + " findings";
    }
  }

  function setup(form) {
    var section = form.closest("section") || document;
    form.hidden = false;
    form.addEventListener("change", function () { apply(form, section); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply(form, section);
  }

  document.querySelectorAll("form[data-findings-filter]").forEach(setup);
})();
