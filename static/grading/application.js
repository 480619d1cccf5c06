// The application pages: confirmations, printing and "add a row" in the formsets. Everything else is htmx.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); return; }
    // A second click while the first request runs would only meet the stale-state message.
    var button = event.submitter;
    if (button && !event.defaultPrevented && !event.target.hasAttribute("hx-post")) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); return; }
    var add = event.target.closest("[data-formset-add]");
    if (!add) return;
    var form = add.closest("form");
    var prefix = add.dataset.formsetAdd;
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var rows = form.querySelector("[data-formset-rows]");
    var template = form.querySelector("template[data-formset-template]");
    var n = parseInt(total.value, 10);
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(n)));
    total.value = String(n + 1);
    var first = rows.lastElementChild.querySelector("input, textarea, select");
    if (first) first.focus();
  });

  // A form that came back with errors inside a modal opens it again.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector(".modal .is-invalid");
    if (invalid && window.bootstrap) window.bootstrap.Modal.getOrCreateInstance(invalid.closest(".modal")).show();
  });
})();
