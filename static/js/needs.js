/* The needs form: while a person types, show matching catalogue material in the live region.
   Without JavaScript the button "Passende Angebote suchen" shows the same list from the server. */
(function () {
  "use strict";

  var DELAY = 400; // milliseconds after the last key press
  var MIN_LENGTH = 3;

  function setUp(form) {
    var input = form.querySelector("#text");
    var region = document.getElementById("need-matches");
    if (!input || !region || !window.fetch) {
      return;
    }
    var timer = null;
    var latest = 0;
    var lastQuery = input.value.trim();

    function show(data) {
      region.textContent = "";
      var matches = (data && data.matches) || [];
      if (!matches.length) {
        var empty = document.createElement("p");
        empty.className = "kern-body";
        empty.textContent = region.getAttribute("data-empty");
        region.appendChild(empty);
        return;
      }
      var hint = document.createElement("p");
      hint.className = "kern-body";
      hint.textContent = data.hint;
      region.appendChild(hint);
      var list = document.createElement("ul");
      list.className = "kern-list kern-list--bullet";
      matches.forEach(function (match) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.className = "kern-link";
        link.href = match.url;
        link.textContent = match.title;
        var kind = document.createElement("span");
        kind.className = "muted";
        kind.textContent = " (" + match.kind + ")";
        item.appendChild(link);
        item.appendChild(kind);
        list.appendChild(item);
      });
      region.appendChild(list);
    }

    function search() {
      var query = input.value.trim();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      var request = ++latest;
      if (query.length < MIN_LENGTH) {
        region.textContent = "";
        return;
      }
      var url = region.getAttribute("data-url") + "?suche=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          // Only the answer to the newest query counts; an error leaves the list as it was.
          if (request === latest && data) {
            show(data);
          }
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
  }

  document.querySelectorAll(".need-form").forEach(setUp);
})();
