/* editor.js: the post editor's progressive help (everything also works without it): the image
 * upload beside the form, inserted at the cursor without touching a field; an autosave every
 * 30 s when the form changed, and when the tab is hidden or closed; a warning before leaving
 * a changed form; the featured image's preview. window.quireAutosave() saves now (tests). */
(function () {
	'use strict';
	var AUTOSAVE_MS = 30000;
	var form = document.getElementById('post-form');
	if (!form || !window.fetch || !window.FormData) return;
	var body = document.getElementById('body');
	var cursor = form.querySelector('input[name="cursor"]');
	var version = form.querySelector('input[name="version"]');
	var status = document.getElementById('autosave-status');
	var upStatus = document.getElementById('upload-status');
	var upButton = document.getElementById('upload-button');
	var file = document.getElementById('image');
	var live = !!form.querySelector('button[name="action"][value="unpublish"]');
	var changes = 0;      /* edits since the page loaded */
	var savedAt = 0;      /* the value of changes the server last kept */
	var submitting = false;
	var inflight = null;

	function say(el, text) {
		if (el) el.textContent = text;
	}
	function track() {
		if (body && cursor) cursor.value = String(body.selectionStart || 0);
	}
	if (body) {
		['input', 'click', 'keyup', 'select', 'focus'].forEach(function (ev) {
			body.addEventListener(ev, track);
		});
	}
	function changed(ev) {
		if (ev.target === file || ev.target === cursor) return;
		changes++;
	}
	form.addEventListener('input', changed);
	form.addEventListener('change', changed);
	form.addEventListener('submit', function (ev) {
		/* an autosave under way changes the version: the save waits for its answer, so it
		 * carries the new version and is not refused as stale (409) */
		if (inflight && !submitting) {
			ev.preventDefault();
			var by = ev.submitter;
			inflight.then(function () {
				submitting = true;
				if (form.requestSubmit) form.requestSubmit(by); else form.submit();
			});
			return;
		}
		submitting = true;
	});

	/* The form's fields as typed, without the file (an autosave never carries the image). */
	function fields() {
		var fd = new FormData(form);
		fd.delete('image');
		fd.delete('action');
		return fd;
	}
	function switchTo(j) {
		/* a new post became a draft: the form now edits it */
		form.action = j.action;
		form.dataset.autosave = j.autosave_url;
		form.dataset.upload = j.upload_url;
		if (upButton) upButton.setAttribute('formaction', j.upload_url);
		if (window.history && history.replaceState) history.replaceState(null, '', j.edit);
	}

	function autosave(keep) {
		if (inflight) return inflight;
		if (changes === savedAt) return Promise.resolve({ ok: true, unchanged: true });
		var at = changes;
		var url = form.dataset.autosave;
		/* keepalive lets the request outlive a closing tab (for bodies under 64 KB) */
		var fd = fields();
		inflight = fetch(url, { method: 'POST', body: fd, credentials: 'same-origin', keepalive: keep === true && body.value.length < 60000,
		                        headers: { 'Accept': 'application/json' } })
			.then(function (r) {
				/* the session ended: the gate answered with the login page */
				if (r.redirected || !/json/.test(r.headers.get('Content-Type') || ''))
					return { ok: false, error: r.status === 403 ? 'Not autosaved: the page is too old to save (403). Copy your text, then reload.'
					                                            : 'Not autosaved: you are logged out. Log in again in another tab; this one keeps your text.' };
				return r.json();
			})
			.then(function (j) {
				inflight = null;
				if (!j.ok) {
					say(status, j.error || 'Not autosaved.');
					return j;
				}
				if (j.kind === 'draft' && form.dataset.autosave !== j.autosave_url) switchTo(j);
				if (version && j.version) version.value = String(j.version);
				savedAt = at;
				say(status, (j.kind === 'draft' ? 'Draft autosaved at ' : 'Changes autosaved (not published) at ') + j.time + '.');
				return j;
			}, function () {
				inflight = null;
				say(status, 'Not autosaved: the server could not be reached. Keep this tab open.');
				return { ok: false };
			});
		return inflight;
	}
	window.quireAutosave = function () { return autosave(false); };
	setInterval(function () { if (!submitting) autosave(false); }, AUTOSAVE_MS);

	/* hidden (another tab, the phone locked): saved with keepalive, the answer still read */
	document.addEventListener('visibilitychange', function () {
		if (document.visibilityState === 'hidden' && !submitting && changes !== savedAt) autosave(true);
	});
	/* closed: a beacon, which outlives the page */
	window.addEventListener('pagehide', function () {
		if (submitting || changes === savedAt || inflight || !navigator.sendBeacon) return;
		if (navigator.sendBeacon(form.dataset.autosave, fields())) savedAt = changes;
	});
	window.addEventListener('beforeunload', function (ev) {
		/* a published post's autosave is not published: its changes are still unsaved */
		if (submitting || changes === 0 || (!live && changes === savedAt)) return;
		ev.preventDefault();
		ev.returnValue = '';
		return '';
	});

	/* the upload beside the form: the image goes alone, its Markdown comes back */
	function insert(text) {
		var start = body.selectionStart, end = body.selectionEnd;
		if (document.activeElement !== body && cursor && cursor.value !== '') start = end = Number(cursor.value);
		/* the image on its own line: not glued to the text before or after it */
		var v = body.value;
		if (start > 0 && v.charAt(start - 1) !== '\n') text = '\n' + text;
		if (end < v.length && v.charAt(end) !== '\n') text += '\n';
		body.setRangeText(text, start, end, 'end');
		body.dispatchEvent(new Event('input', { bubbles: true }));
		track();
	}
	if (upButton && file && body) {
		upButton.addEventListener('click', function (ev) {
			ev.preventDefault();
			if (!file.files || !file.files.length) {
				say(upStatus, 'Choose an image file first.');
				return;
			}
			var fd = new FormData();
			fd.append('csrf', form.querySelector('input[name="csrf"]').value);
			fd.append('only_image', '1');
			fd.append('image', file.files[0]);
			say(upStatus, 'Uploading…');
			upButton.disabled = true;
			fetch(form.dataset.upload, { method: 'POST', body: fd, credentials: 'same-origin',
			                             headers: { 'Accept': 'application/json' } })
				.then(function (r) { return r.json(); })
				.then(function (j) {
					upButton.disabled = false;
					if (!j.ok) {
						say(upStatus, j.error || 'The image was not uploaded.');
						return;
					}
					insert(j.markdown);
					file.value = '';
					say(upStatus, 'Inserted ' + j.markdown + ' at the cursor.');
				}, function () {
					upButton.disabled = false;
					say(upStatus, 'The image was not uploaded: the server could not be reached.');
				});
		});
	}

	/* the featured image's preview follows the field */
	var featured = document.getElementById('featured_image');
	var preview = document.getElementById('featured-preview');
	if (featured && preview) {
		featured.addEventListener('input', function () {
			var v = featured.value.trim();
			preview.textContent = '';
			/* this site's images only: the Content-Security-Policy refuses others */
			if (!/^\/[^\/]/.test(v)) return;
			var img = document.createElement('img');
			img.src = v;
			img.alt = 'The featured image';
			img.className = 'thumb';
			preview.appendChild(img);
		});
	}
})();
