/* Forms with a material picker: Enter in its search field searches, Enter in any other field saves. Without this,
   the browser presses the form's first button, which is the search button for every field above the save button. */
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing || input.tagName !== "INPUT") {
      return;
    }
    var form = input.form;
    if (!form || !form.querySelector("[data-material-picker]")) {
      return;
    }
    var button = input.hasAttribute("data-picker-query")
      ? form.querySelector("[data-picker-search]")
      : form.querySelector("button[type=submit]:not([data-picker-search])");
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
