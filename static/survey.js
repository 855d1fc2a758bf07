// survey.js - enhancements of the questionnaire pages; everything works without it.
// Shows only the questions that apply, counts characters, and saves every few seconds.
'use strict';
(function () {
  var form = document.querySelector('form.survey-form');
  if (!form) return;

  // Conditional questions: shown or hidden as the answers they depend on change.
  function values(name) {
    var out = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) return;
      if (el.tagName === 'SELECT') {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { if (o.value) out.push(o.value); });
        return;
      }
      if (el.value && el.value.trim() !== '') out.push(el.value.trim());
    });
    return out;
  }
  function applies(el) {
    var q = el.getAttribute('data-cond-q');
    var op = el.getAttribute('data-cond-op');
    var wanted = (el.getAttribute('data-cond-values') || '').split(' ').filter(Boolean);
    if (!form.querySelector('[name="' + q + '"]')) return true; // on another page: the server decided
    var got = values(q);
    if (op === 'answered') return got.length > 0;
    return got.some(function (v) { return wanted.indexOf(v) >= 0; });
  }
  function refresh() {
    form.querySelectorAll('[data-cond-q]').forEach(function (el) {
      var show = applies(el);
      el.hidden = !show;
      var note = el.querySelector('.only-if');
      if (note) note.hidden = true;
    });
  }

  // Character counters on long answers.
  function count(area) {
    var out = document.getElementById(area.getAttribute('data-counter'));
    if (out) out.textContent = area.value.length + ' / ' + area.getAttribute('maxlength');
  }
  form.querySelectorAll('textarea[data-counter]').forEach(function (a) { count(a); });

  // Autosave: a few seconds after the last change, the page is saved in the background.
  var status = form.querySelector('.autosave-status');
  var lang = document.documentElement.lang;
  var msg = lang === 'en'
    ? { saving: 'Saving…', saved: 'Saved', partial: 'Saved, except answers that need correcting (they keep what was saved before): use the Save button to see them.', conflict: 'This page was changed elsewhere: reload it before going on.', failed: 'NOT saved: the server could not record your answers. Press Save in a moment.', link: 'NOT saved: this browser no longer holds a valid private link to your response. Press Save to see why.' }
    : { saving: 'Enregistrement…', saved: 'Enregistré', partial: 'Enregistré, sauf des réponses à corriger (elles gardent ce qui était enregistré avant) : utilisez le bouton Enregistrer pour les voir.', conflict: 'Cette page a été modifiée ailleurs : rechargez-la avant de continuer.', failed: 'PAS enregistré : le serveur n’a pas pu écrire vos réponses. Appuyez sur Enregistrer dans un instant.', link: 'PAS enregistré : ce navigateur n’a plus de lien personnel valide vers votre réponse. Appuyez sur Enregistrer pour savoir pourquoi.' };
  var timer = null, busy = false, stopped = false;
  function save() {
    if (busy || stopped || !form.getAttribute('data-autosave')) return;
    busy = true;
    status.textContent = msg.saving;
    var data = new URLSearchParams(new FormData(form));
    data.set('action', 'autosave');
    fetch(form.getAttribute('data-autosave'), {
      method: 'POST', body: data, credentials: 'same-origin',
      headers: { 'Accept': 'application/json' }
    }).then(function (res) {
      if (res.status === 409) { stopped = true; status.textContent = msg.conflict; return null; }
      if (res.status === 403) { stopped = true; status.textContent = msg.link; return null; }
      if (!res.ok) { status.textContent = msg.failed; return null; }
      return res.json();
    }).then(function (j) {
      if (j && j.rev) {
        form.querySelector('input[name="rev"]').value = j.rev;
        status.textContent = j.errors ? msg.partial : msg.saved;
      }
    }).catch(function () { status.textContent = msg.failed; })
      .finally(function () { busy = false; });
  }
  function changed(e) {
    refresh();
    if (e && e.target && e.target.tagName === 'TEXTAREA') count(e.target);
    clearTimeout(timer);
    timer = setTimeout(save, 4000);
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', function () { clearTimeout(timer); stopped = true; });
  refresh();
})();
