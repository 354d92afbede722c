/* comments.js: fills the comment form's name, email and website from the quire_remember cookie,
 * which the server sets only when a reader ticked "Save my name, email, and website in this
 * browser" (src/web/h_comment.c). The server never reads it: pages stay the same for everyone. */
(function () {
  'use strict';
  var form = document.getElementById('commentform');
  if (!form) return;
  var raw = null;
  document.cookie.split(';').forEach(function (c) {
    var i = c.indexOf('=');
    if (i > 0 && c.slice(0, i).trim() === 'quire_remember') raw = c.slice(i + 1).trim();
  });
  if (!raw) return;
  var saved = {};
  raw.split('&').forEach(function (kv) {
    var i = kv.indexOf('=');
    if (i < 0) return;
    try {
      saved[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    } catch (e) { /* a malformed part is left out */ }
  });
  /* a form the server sent back (an error answer) keeps what was typed, the box included */
  var comment = document.getElementById('comment');
  var author = document.getElementById('author');
  if ((comment && comment.value) || (author && author.value)) return;
  var fields = { author: saved.n, email: saved.e, url: saved.u };
  Object.keys(fields).forEach(function (id) {
    var input = document.getElementById(id);
    if (input && fields[id]) input.value = fields[id];
  });
  var box = document.getElementById('remember');
  if (box) box.checked = true;
})();
