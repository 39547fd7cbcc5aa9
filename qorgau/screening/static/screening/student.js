/* Qorgau student questionnaire: save every answer as it is given, and never lose one.
 *
 * Each change is put in a queue kept in localStorage (per response) and sent to the server one by
 * one. While the connection is down the queue waits and is retried; a reload or a new tab picks it up
 * again. The "next" button waits until the queue is empty. The server answers with the questions that
 * are relevant now (e.g. the ASQ acuity question after a positive screen), which are shown or hidden.
 */
(function () {
  "use strict";
  var form = document.getElementById("survey");
  if (!form) return;
  var statusEl = document.getElementById("save-status");
  var url = form.dataset.answerUrl;
  var key = "qorgau-queue-" + form.dataset.response;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var sending = false;
  var retryTimer = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(queue) {
    try { localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
    memory = queue;
  }
  var memory = load();
  function queue() { var q = load(); return q.length || !memory.length ? q : memory; }

  function show(kind, extra) {
    statusEl.className = "save-status " + kind;
    statusEl.textContent = (statusEl.dataset[kind] || "") + (extra ? " " + extra : "");
  }

  function applyRelevant(codes) {
    if (!codes) return;
    var set = {};
    codes.forEach(function (c) { set[c] = true; });
    form.querySelectorAll("fieldset[data-item]").forEach(function (fs) {
      fs.hidden = !set[fs.dataset.item];
    });
  }

  function enqueue(item, value) {
    var q = queue().filter(function (e) { return e.item !== item; });
    q.push({ item: item, value: value });
    store(q);
    flush();
  }

  function flush() {
    if (sending) return;
    var q = queue();
    if (!q.length) { if (statusEl.className.indexOf("saving") >= 0) show("saved"); return; }
    sending = true;
    show("saving");
    var entry = q[0];
    var body = new URLSearchParams({ response: form.dataset.response, item: entry.item, value: entry.value, lang: form.dataset.lang });
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; }); })
      .then(function (res) {
        sending = false;
        // Answered or refused by the server: either way it leaves the queue (a refusal is shown).
        store(queue().filter(function (e) { return !(e.item === entry.item && e.value === entry.value); }));
        if (res.ok) {
          applyRelevant(res.data.relevant);
          if (queue().length) { flush(); } else { show("saved"); }
        } else if (res.status === 410 || res.status === 409) {
          show("failed", res.data.error || "");
        } else {
          show("failed", res.data.error || "");
          if (queue().length) flush();
        }
      })
      .catch(function () {
        sending = false;
        show("offline");
        clearTimeout(retryTimer);
        retryTimer = setTimeout(flush, 3000);
      });
  }

  form.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!el.name || el.name === "response" || el.name === "lang" || el.name === "csrfmiddlewaretoken") return;
    enqueue(el.name, el.value);
  });

  form.addEventListener("submit", function (ev) {
    if (queue().length) {
      ev.preventDefault();
      flush();
      var wait = setInterval(function () {
        if (!queue().length && !sending) { clearInterval(wait); form.submit(); }
      }, 300);
    }
  });

  window.addEventListener("online", flush);

  // A reload while answers were still waiting: show them as chosen, then send them.
  queue().forEach(function (e) {
    var inputs = form.querySelectorAll("[name='" + e.item + "']");
    inputs.forEach(function (input) {
      if (input.type === "radio") { input.checked = input.value === e.value; } else { input.value = e.value; }
    });
  });
  flush();
})();
