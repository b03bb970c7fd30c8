// Small helpers only; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  var decide = document.getElementById("decide");
  if (decide) {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var button = decide.querySelector('button[data-key="' + event.key.toLowerCase() + '"]');
      if (button) { event.preventDefault(); button.click(); }
    });
  }
});
