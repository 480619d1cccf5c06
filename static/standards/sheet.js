// The standard and scoring pages: filters, expand/collapse, extra deduction rows, confirmations
// and printing with every element open. Everything else is htmx.
(function () {
  "use strict";

  function tree() { return document.getElementById("sheet-tree"); }

  function setOpen(open) {
    document.querySelectorAll("details.sheet-element, details.tree-element").forEach(function (d) { d.open = open; });
  }

  function markFilter() {
    var current = tree() ? tree().dataset.filter : "all";
    document.querySelectorAll("[data-filter-value]").forEach(function (button) {
      var on = button.dataset.filterValue === current;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    var filter = event.target.closest("[data-filter-value]");
    if (filter && tree()) {
      tree().dataset.filter = filter.dataset.filterValue;
      if (filter.dataset.filterValue !== "all") setOpen(true);
      markFilter();
      return;
    }
    var expand = event.target.closest("[data-expand]");
    if (expand) { setOpen(expand.dataset.expand === "all"); return; }
    if (event.target.closest("[data-print]")) { setOpen(true); window.print(); return; }
    var add = event.target.closest("[data-add-deduction]");
    if (add) {
      var form = add.closest("form");
      var rows = form.querySelector("[data-deduction-rows]");
      var next = 0;
      rows.querySelectorAll("input[name$='-points']").forEach(function (input) {
        var n = parseInt(input.name.split("-")[1], 10);
        if (n >= next) next = n + 1;
      });
      var html = form.querySelector("template[data-deduction-template]").innerHTML.replace(/__n__/g, String(next));
      rows.insertAdjacentHTML("beforeend", html);
      rows.lastElementChild.querySelector("input").focus();
    }
  });

  // A photo just taken on a phone is attached at once (the camera input has no visible name).
  document.addEventListener("change", function (event) {
    var input = event.target.closest && event.target.closest("input[data-autosubmit]");
    if (input && input.files.length && input.form) input.form.requestSubmit();
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // htmx replaces the filter bar out of band after each save: show the chosen filter again.
  document.addEventListener("htmx:afterSettle", markFilter);
  window.addEventListener("beforeprint", function () { setOpen(true); });

  // A link to an item (#item-6-1-5) opens its element.
  function openTarget() {
    if (!location.hash) return;
    var target = document.getElementById(location.hash.slice(1));
    var details = target && target.closest("details");
    if (details) { details.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", function () { openTarget(); markFilter(); });
})();
