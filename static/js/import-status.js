/* Without JavaScript the link above shows the progress; with it, the status updates itself. */
(function () {
  function poll() {
    fetch(window.location.href, {credentials: "same-origin"}).then(function (response) { return response.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-status");
      var current = document.getElementById("import-status");
      if (!fresh || !current) { return; }
      current.innerHTML = fresh.innerHTML;
      if (fresh.getAttribute("data-in-progress") === "1") { window.setTimeout(poll, 2000); } else { window.location.reload(); }
    });
  }
  window.setTimeout(poll, 2000);
}());
