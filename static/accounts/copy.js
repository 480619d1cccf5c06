// Copy the value of the element named by a button's data-copy-target (the API token page).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) return;
  var field = document.querySelector(button.getAttribute("data-copy-target"));
  if (!field) return;
  field.select();
  var done = function () {
    button.textContent = button.getAttribute("data-copied-text") || "OK";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done);
  } else {
    // Intranet deployments may run on plain http, where the Clipboard API is unavailable.
    document.execCommand("copy");
    done();
  }
});
