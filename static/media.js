/* media.js: the media library's Copy buttons (the Markdown stays selectable in its readonly field
 * without JavaScript). */
(function () {
  'use strict';
  function copy(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var done = function () {
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = 'Copy'; }, 2000);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        field.select();
      });
    } else {
      field.select();
    }
  }
  var buttons = document.querySelectorAll('button.copy[data-copy]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function (e) { copy(e.currentTarget); });
  }
  var fields = document.querySelectorAll('input.copy-source');
  for (var k = 0; k < fields.length; k++)
    fields[k].addEventListener('focus', function (e) { e.currentTarget.select(); });
}());
