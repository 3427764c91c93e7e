// Every htmx request carries the CSRF token from the page's <meta>.
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  window.wardapp = window.wardapp || {};
  window.wardapp.csrfToken = csrfToken;
})();
