/*
 * role-rights: a user card's form with data-k-role-rights="<role select id>". The Rights tab follows the
 * chosen role at once: what the role gives is checked and locked (check boxes input[data-code] with
 * data-grantable and data-own; their badges [data-from-role], [data-role-only]), the role's description shows in
 * #role-description, and a new user takes the role's usual client scope. What each role gives comes from the
 * inert JSON islands #role-rights, #role-descriptions, #role-scopes (json_script); data-k-role-new marks a new user.
 */
(function () {
  "use strict";

  function island(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : {};
  }

  // A right ticked by hand is remembered, so that it comes back when a role that gave it is left again.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-k-role-rights] input[data-code]") || box.disabled) return;
    box.dataset.own = box.checked ? "1" : "0";
  });

  document.addEventListener("change", function (event) {
    var role = event.target;
    var form = role.id && role.closest && role.closest("[data-k-role-rights]");
    if (!form || form.getAttribute("data-k-role-rights") !== role.id) return;
    var base = island("role-rights")[role.value] || [];
    var description = document.getElementById("role-description");
    if (description) description.textContent = island("role-descriptions")[role.value] || "";
    form.querySelectorAll("input[data-code]").forEach(function (box) {
      var fromRole = base.indexOf(box.dataset.code) !== -1;
      var grantable = box.dataset.grantable === "1";
      box.checked = fromRole || (grantable && box.dataset.own === "1");
      box.disabled = fromRole || !grantable;
      var item = box.closest(".form-check");
      item.querySelector("[data-from-role]").hidden = !fromRole;
      var roleOnly = item.querySelector("[data-role-only]");
      if (roleOnly) roleOnly.hidden = fromRole;
    });
    var scope = island("role-scopes")[role.value];
    if (form.hasAttribute("data-k-role-new") && scope) {
      var radio = form.querySelector('input[name=client_scope][value="' + scope + '"]');
      if (radio) radio.checked = true;
    }
  });
})();
