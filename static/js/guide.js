/* Click-through guides: arrow keys in the player, and drawing the highlight on the editor's step page.
   Everything here only adds to links and form fields that work without it. */
(function () {
  "use strict";

  function isTyping(target) {
    return target.closest("input, textarea, select, [contenteditable='true'], summary, video");
  }

  function setUpPlayer(player) {
    var heading = player.querySelector("#schritt");
    // Arriving from a previous/next link: put the reader at the new step, not the top of the page.
    if (heading && window.location.hash === "#schritt") {
      heading.focus({ preventScroll: false });
    }
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) {
        return;
      }
      var link = null;
      if (event.key === "ArrowRight") {
        link = player.querySelector("[data-guide-next]");
      } else if (event.key === "ArrowLeft") {
        link = player.querySelector("[data-guide-prev]");
      }
      if (link) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    });
  }

  function setUpDrawing(shot, fields) {
    var image = shot.querySelector("img");
    var inputs = {
      left: fields.querySelector("[name='highlight_left']"),
      top: fields.querySelector("[name='highlight_top']"),
      width: fields.querySelector("[name='highlight_width']"),
      height: fields.querySelector("[name='highlight_height']"),
    };
    if (!image || !inputs.left) {
      return;
    }
    var hint = document.querySelector("[data-guide-draw-hint]");
    if (hint) {
      hint.hidden = false;
    }
    var svgNamespace = "http://www.w3.org/2000/svg";
    var svg = shot.querySelector("svg.guide-highlight");
    if (!svg) {
      svg = document.createElementNS(svgNamespace, "svg");
      svg.setAttribute("class", "guide-highlight");
      svg.setAttribute("viewBox", "0 0 1000 1000");
      svg.setAttribute("preserveAspectRatio", "none");
      svg.setAttribute("aria-hidden", "true");
      ["guide-highlight__halo", "guide-highlight__frame"].forEach(function (name) {
        var rect = document.createElementNS(svgNamespace, "rect");
        rect.setAttribute("class", name);
        rect.setAttribute("vector-effect", "non-scaling-stroke");
        svg.appendChild(rect);
      });
      shot.appendChild(svg);
    }
    var rects = svg.querySelectorAll("rect");

    function perMille(event) {
      var box = image.getBoundingClientRect();
      return {
        x: Math.min(Math.max(((event.clientX - box.left) / box.width) * 1000, 0), 1000),
        y: Math.min(Math.max(((event.clientY - box.top) / box.height) * 1000, 0), 1000),
      };
    }

    function show(box) {
      rects.forEach(function (rect) {
        rect.setAttribute("x", box.left);
        rect.setAttribute("y", box.top);
        rect.setAttribute("width", box.width);
        rect.setAttribute("height", box.height);
      });
    }

    function fill(box) {
      inputs.left.value = (box.left / 10).toFixed(1);
      inputs.top.value = (box.top / 10).toFixed(1);
      inputs.width.value = (box.width / 10).toFixed(1);
      inputs.height.value = (box.height / 10).toFixed(1);
    }

    var start = null;
    function boxTo(point) {
      return {
        left: Math.min(start.x, point.x),
        top: Math.min(start.y, point.y),
        width: Math.max(Math.abs(point.x - start.x), 1),
        height: Math.max(Math.abs(point.y - start.y), 1),
      };
    }
    shot.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = perMille(event);
      shot.setPointerCapture(event.pointerId);
    });
    shot.addEventListener("pointermove", function (event) {
      if (start) {
        show(boxTo(perMille(event)));
      }
    });
    shot.addEventListener("pointerup", function (event) {
      if (!start) {
        return;
      }
      var box = boxTo(perMille(event));
      start = null;
      if (box.width >= 5 && box.height >= 5) {
        show(box);
        fill(box);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var player = document.querySelector("[data-guide-player]");
    if (player) {
      setUpPlayer(player);
    }
    var shot = document.querySelector(".guide-shot--editable");
    var fields = document.querySelector("[data-guide-highlight-fields]");
    if (shot && fields) {
      setUpDrawing(shot, fields);
    }
  });
})();
