/* admin: small progressive help for the admin pages; every form works without it.
 * - the "select all" checkbox of a list ticks or clears every row (data-select-all="NAME");
 * - a reply box opened on demand (<details class="reply-details">) focuses its text area. */
(function () {
  'use strict';
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function init() {
    each(document.querySelectorAll('input[data-select-all]'), function (all) {
      var form = all.form, name = all.getAttribute('data-select-all');
      if (!form) return;
      var boxes = function () { return form.querySelectorAll('input[type=checkbox][name="' + name + '"]'); };
      all.hidden = false;
      var label = all.closest('label');
      if (label) label.hidden = false;
      all.addEventListener('change', function () {
        each(boxes(), function (b) { b.checked = all.checked; });
      });
      form.addEventListener('change', function (e) {
        if (e.target === all || e.target.name !== name) return;
        var n = 0, on = 0;
        each(boxes(), function (b) { n++; if (b.checked) on++; });
        all.checked = n > 0 && on === n;
        all.indeterminate = on > 0 && on < n;
      });
    });
    each(document.querySelectorAll('details.reply-details'), function (d) {
      d.addEventListener('toggle', function () {
        var t = d.querySelector('textarea');
        if (d.open && t) t.focus();
      });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
