/*
 * Shouwen (首问) website chat widget.
 *
 *   <script src="https://gateway.example/widget.js" defer
 *           data-title="首问 · 政务咨询"          (optional: the window title)
 *           data-base="https://gateway.example"  (optional: the gateway; default: where this file came from)
 *   ></script>
 *
 * Adds a floating button and a chat window to any page; no framework, one global (window.ShouwenWidget).
 *
 *   launcher button ──open──▶ dialog (role=dialog, aria-modal)
 *                               ├─ header: title, 转人工, clear, close
 *                               ├─ log (role=log, aria-live=polite): bubbles, cards, button chips
 *                               └─ composer: textarea (Enter sends, Shift+Enter = new line) + send
 *
 * Talks to the gateway: POST {base}/api/chat {sender, message} → {replies: [{text, buttons}]}; a button
 * with a `url` (the printable 一次性告知单) is a link opened in a new tab, not a message;
 * after the person asks for a clerk, polls GET {base}/api/inbox/{sender}?after=<id> while the window
 * is open. The conversation (sender id, history, hand-off state) is kept in localStorage.
 *
 * Bot text is never parsed as HTML: every line becomes DOM nodes built here (text nodes, <strong>,
 * <ol>/<ul>, <a> for http(s) URLs only), so a message containing markup is shown as text.
 */
(function () {
  "use strict";

  if (window.ShouwenWidget) return; // the tag was included twice

  // ---- everything the citizen reads: served by the gateway ---------------------------------------
  // Filled in by the gateway from shouwen_core.replies.Widget (one wording source, the city's facts).
  var TEXT = /*@TEXT@*/ {};

  // ---- configuration from the script tag ---------------------------------------------------------
  var script =
    document.currentScript ||
    (function () {
      var all = document.querySelectorAll('script[src*="widget.js"]');
      return all[all.length - 1];
    })();
  var data = (script && script.dataset) || {};

  function gatewayBase() {
    if (data.base) return data.base.replace(/\/+$/, "");
    try {
      var url = new URL(script.src, document.baseURI);
      return url.origin + url.pathname.replace(/\/[^/]*$/, "");
    } catch (e) {
      return "";
    }
  }

  var CONFIG = {
    base: gatewayBase(),
    title: data.title || TEXT.title,
    pollMs: Math.max(1000, parseInt(data.pollMs || "4000", 10) || 4000),
    timeoutMs: 30000,
    // A hand-off stays active this long after the request or the last clerk message.
    handoffMs: 30 * 60 * 1000,
    maxHistory: 200,
    storageKey: "shouwen.widget.v1"
  };

  // ---- state kept across reloads -----------------------------------------------------------------
  function randomHex() {
    var bytes = new Uint8Array(12);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    var hex = "";
    for (var j = 0; j < bytes.length; j++) hex += ("0" + bytes[j].toString(16)).slice(-2);
    return hex;
  }

  function newSender() {
    return "web:" + randomHex();
  }

  function freshState() {
    return { sender: newSender(), history: [], open: false, handoffUntil: 0, inboxAfter: 0 };
  }

  function loadState() {
    try {
      var raw = window.localStorage.getItem(CONFIG.storageKey);
      var s = raw ? JSON.parse(raw) : null;
      if (s && typeof s.sender === "string" && /^web:[\w.-]{1,60}$/.test(s.sender) && Array.isArray(s.history)) {
        s.handoffUntil = +s.handoffUntil || 0;
        s.inboxAfter = +s.inboxAfter || 0;
        s.open = !!s.open;
        return s;
      }
    } catch (e) {
      /* storage blocked or corrupt: start afresh */
    }
    return freshState();
  }

  var state = loadState();

  function save() {
    if (state.history.length > CONFIG.maxHistory) {
      state.history = state.history.slice(-CONFIG.maxHistory);
    }
    try {
      window.localStorage.setItem(CONFIG.storageKey, JSON.stringify(state));
    } catch (e) {
      /* private mode or quota: the conversation still works, it just is not kept */
    }
  }

  // ---- DOM helpers -------------------------------------------------------------------------------
  var idSeq = 0;
  function uid(prefix) {
    idSeq += 1;
    return "sw-" + prefix + "-" + idSeq;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] == null) continue;
        if (k === "class") node.className = attrs[k];
        else if (k === "text") node.textContent = attrs[k];
        else node.setAttribute(k, attrs[k]);
      }
    }
    (children || []).forEach(function (c) {
      if (c == null) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  function icon(pathD) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "sw-icon");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", pathD);
    svg.appendChild(path);
    return svg;
  }
  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z",
    close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
    send: "M3 20.5V14l9-2-9-2V3.5L22 12z",
    clerk: "M12 2a7 7 0 0 0-7 7v3a3 3 0 0 0 3 3h1V9H7a5 5 0 0 1 10 0h-2v6h2v1a2 2 0 0 1-2 2h-2v2h2a4 4 0 0 0 4-4v-1.2A3 3 0 0 0 19 12V9a7 7 0 0 0-7-7z",
    clear: "M9 3h6l1 2h4v2H4V5h4zm-3 6h12l-1 12H7z"
  };

  // ---- formatting bot text into DOM nodes --------------------------------------------------------
  // Links: http(s) only, stopping at whitespace and at Chinese or closing punctuation.
  var URL_RE = /https?:\/\/[^\s<>"'，。；、！？）)」】》]+/g;
  // Phone numbers a person can tap: service hotlines (12345, 12369, 95598), 400 numbers, landlines
  // like 0571-88881234 and the emergency numbers 110 / 119 / 120 / 122 — never an amount or a count
  // ("120元", "12000元", "110个") nor a part of a longer number.
  var PHONE_RE =
    /(^|[^\d-])(12\d{3}|9\d{4}|400-?\d{3}-?\d{4}|0\d{2,3}-\d{7,8}|11[09]|12[02])(?![\d-]|[元个号天日月年%.．份本次项岁])/g;

  function appendInline(parent, text) {
    var last = 0;
    text.replace(URL_RE, function (url, offset) {
      var clean = url.replace(/[.,;:!?]+$/, "");
      appendPhones(parent, text.slice(last, offset));
      var a = el("a", { href: clean, target: "_blank", rel: "noopener noreferrer nofollow", class: "sw-link" }, [
        clean,
        el("span", { class: "sw-sr", text: TEXT.linkOut })
      ]);
      parent.appendChild(a);
      last = offset + clean.length;
      return url;
    });
    appendPhones(parent, text.slice(last));
  }

  function appendPhones(parent, text) {
    var last = 0;
    text.replace(PHONE_RE, function (match, before, phone, offset) {
      var start = offset + before.length;
      parent.appendChild(document.createTextNode(text.slice(last, start)));
      parent.appendChild(el("a", { href: "tel:" + phone.replace(/-/g, ""), class: "sw-tel", text: phone }));
      last = start + phone.length;
      return match;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // 【事项】一次性告知 · 一、需要准备的材料： · 下一步： · 1. 材料 …
  var TITLE_RE = /^【[^】]+】/;
  // Sections: the full card's "二、在哪里办：", the chat card's "需要准备的材料（共3项）：".
  var SECTION_RE = /^([一二三四五六七八九十]+、[^：:]{1,16}[：:]|需要准备的材料（共\d+项）[：:])(.*)$/;
  var LABEL_RE = /^(办理部门|您的情形|下一步|办理地点|咨询电话|注意|温馨提示|窗口办|网上办|时限|收费)([：:])(.*)$/;
  var NUMBERED_RE = /^(\d{1,3})[.．、]\s*(.+)$/;
  var BULLET_RE = /^[-•·*]\s+(.+)$/;

  function formatText(text) {
    var box = el("div", { class: "sw-text" });
    var list = null; // the <ol>/<ul> being filled
    var underHeading = false; // plain lines right after "二、在哪里办：" read as a bulleted list

    function closeList() {
      list = null;
    }
    function listOf(tag, start) {
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = el(tag, { class: "sw-list" });
        if (tag === "ol" && start > 1) list.setAttribute("start", String(start));
        box.appendChild(list);
      }
      return list;
    }

    String(text || "")
      .split(/\r?\n/)
      .forEach(function (raw) {
        var line = raw.replace(/\s+$/, "");
        var m;
        if (!line.trim()) {
          closeList();
          underHeading = false;
          return;
        }
        if ((m = NUMBERED_RE.exec(line))) {
          var li = el("li", { value: m[1] });
          appendInline(li, m[2]);
          listOf("ol", parseInt(m[1], 10)).appendChild(li);
          return;
        }
        if ((m = BULLET_RE.exec(line)) || (underHeading && !SECTION_RE.test(line) && !LABEL_RE.test(line))) {
          var item = el("li");
          appendInline(item, m ? m[1] : line);
          listOf("ul").appendChild(item);
          return;
        }
        closeList();
        underHeading = false;
        var p;
        if (TITLE_RE.test(line)) {
          p = el("p", { class: "sw-title" });
          var strong = el("strong");
          appendInline(strong, line);
          p.appendChild(strong);
        } else if ((m = SECTION_RE.exec(line))) {
          p = el("p", { class: "sw-section" }, [el("strong", { text: m[1] })]);
          if (m[2].trim()) appendInline(p, m[2]);
          else underHeading = true;
        } else if ((m = LABEL_RE.exec(line))) {
          p = el("p", { class: "sw-label-line" }, [el("strong", { text: m[1] + m[2] })]);
          appendInline(p, m[3]);
        } else {
          p = el("p");
          appendInline(p, line);
        }
        box.appendChild(p);
      });
    return box;
  }

  // ---- building the UI ---------------------------------------------------------------------------
  var ui = {};

  function loadCss() {
    if (document.querySelector("link[data-shouwen-widget]")) return;
    var link = el("link", { rel: "stylesheet", href: CONFIG.base + "/widget.css", "data-shouwen-widget": "" });
    (document.head || document.documentElement).appendChild(link);
  }

  function build() {
    var titleId = uid("title");
    var logId = uid("log");

    ui.launcher = el(
      "button",
      { type: "button", class: "sw-launcher", "aria-label": TEXT.launcher, "aria-haspopup": "dialog", "aria-expanded": "false" },
      [icon(ICONS.chat), el("span", { class: "sw-launcher-text", text: TEXT.launcherLabel })]
    );

    ui.handoff = el("button", { type: "button", class: "sw-handoff", "aria-label": TEXT.handoffLabel, title: TEXT.handoffLabel }, [
      icon(ICONS.clerk),
      el("span", { text: TEXT.handoff })
    ]);
    ui.clear = el("button", { type: "button", class: "sw-icon-btn sw-clear", "aria-label": TEXT.clear, title: TEXT.clear }, [
      icon(ICONS.clear)
    ]);
    ui.close = el("button", { type: "button", class: "sw-icon-btn sw-close", "aria-label": TEXT.close, title: TEXT.close }, [
      icon(ICONS.close)
    ]);
    var header = el("div", { class: "sw-header" }, [
      el("div", { class: "sw-avatar", "aria-hidden": "true", text: "问" }),
      el("div", { class: "sw-heading" }, [
        el("h2", { id: titleId, class: "sw-h", text: CONFIG.title }),
        el("p", { class: "sw-sub", text: TEXT.subtitle })
      ]),
      ui.handoff,
      ui.clear,
      ui.close
    ]);

    ui.log = el("div", { id: logId, class: "sw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": CONFIG.title, tabindex: "0" });
    ui.typing = el("div", { class: "sw-row sw-bot sw-typing", hidden: "" }, [
      el("div", { class: "sw-bubble" }, [
        el("span", { class: "sw-dot", "aria-hidden": "true" }),
        el("span", { class: "sw-dot", "aria-hidden": "true" }),
        el("span", { class: "sw-dot", "aria-hidden": "true" }),
        el("span", { class: "sw-sr", text: TEXT.typing })
      ])
    ]);

    var inputId = uid("input");
    ui.input = el("textarea", {
      id: inputId,
      class: "sw-input",
      rows: "1",
      maxlength: "1000",
      placeholder: TEXT.placeholder,
      "aria-label": TEXT.inputLabel,
      enterkeyhint: "send",
      autocomplete: "off"
    });
    ui.send = el("button", { type: "submit", class: "sw-send", "aria-label": TEXT.send, title: TEXT.send }, [icon(ICONS.send)]);
    ui.form = el("form", { class: "sw-composer", novalidate: "" }, [ui.input, ui.send]);
    ui.note = el("p", { class: "sw-note", "aria-live": "polite", text: TEXT.privacy });
    var note = ui.note;

    ui.dialog = el(
      "div",
      { class: "sw-window", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId, hidden: "" },
      [header, el("div", { class: "sw-body" }, [ui.log]), ui.form, note]
    );
    ui.root = el("div", { class: "sw-root", "data-shouwen": "" }, [ui.launcher, ui.dialog]);
    ui.log.appendChild(ui.typing);
    document.body.appendChild(ui.root);

    ui.launcher.addEventListener("click", function () {
      open(true);
    });
    ui.close.addEventListener("click", function () {
      close();
    });
    ui.clear.addEventListener("click", function () {
      if (window.confirm(TEXT.clearConfirm)) reset();
    });
    ui.handoff.addEventListener("click", function () {
      send(TEXT.handoffMessage, TEXT.handoffMessage);
    });
    ui.form.addEventListener("submit", function (e) {
      e.preventDefault();
      submitInput();
    });
    ui.input.addEventListener("keydown", function (e) {
      // Enter sends; Shift+Enter is a new line; Enter that confirms an IME (pinyin) candidate does not send.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submitInput();
      }
    });
    ui.input.addEventListener("input", autosize);
    ui.dialog.addEventListener("keydown", onDialogKey);
  }

  function autosize() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + "px";
    ui.input.style.overflowY = ui.input.scrollHeight + 2 > 120 ? "auto" : "hidden";
  }

  function focusables() {
    return Array.prototype.filter.call(
      ui.dialog.querySelectorAll('button:not([disabled]), textarea, a[href], [tabindex]:not([tabindex="-1"])'),
      function (n) {
        return n.offsetParent !== null || n === document.activeElement;
      }
    );
  }

  function onDialogKey(e) {
    if (e.key === "Escape" || e.key === "Esc") {
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== "Tab") return;
    // aria-modal: keep Tab inside the window while it is open.
    var items = focusables();
    if (!items.length) return;
    var first = items[0];
    var last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  // ---- rendering messages ------------------------------------------------------------------------
  function renderEntry(entry, isNew) {
    var who = entry.who;
    var row = el("div", { class: "sw-row sw-" + who });
    var name = who === "user" ? TEXT.you : who === "clerk" ? TEXT.clerk : who === "system" ? "" : TEXT.bot;
    var bubble = el("div", { class: "sw-bubble" });
    if (name) bubble.appendChild(el("span", { class: who === "clerk" ? "sw-from" : "sw-from sw-sr", text: name + "：" }));
    if (who === "user") bubble.appendChild(el("p", { class: "sw-plain", text: entry.text }));
    else bubble.appendChild(formatText(entry.text));
    row.appendChild(bubble);
    if (entry.buttons && entry.buttons.length) {
      var chips = el("div", { class: "sw-chips", role: "group", "aria-label": "可选项" });
      entry.buttons.forEach(function (b) {
        if (!b || typeof b.title !== "string") return;
        var href = b.url ? linkHref(b.url) : "";
        if (href) {
          // A link button (the printable notice) opens a page; it sends nothing to the bot.
          chips.appendChild(
            el("a", { href: href, target: "_blank", rel: "noopener noreferrer", class: "sw-chip sw-chip-link" }, [
              b.title,
              el("span", { class: "sw-sr", text: TEXT.linkOut })
            ])
          );
          return;
        }
        if (b.url) return; // a link we will not open (not http(s), not the gateway's own path)
        var chip = el("button", { type: "button", class: "sw-chip", text: b.title });
        chip.addEventListener("click", function () {
          if (b.retry) {
            send(b.payload, b.title, true, b.turnId);
          } else {
            send(typeof b.payload === "string" && b.payload ? b.payload : b.title, b.title);
          }
        });
        chips.appendChild(chip);
      });
      row.appendChild(chips);
    }
    ui.log.insertBefore(row, ui.typing);
    if (isNew) scrollToEnd();
    return row;
  }

  // A button's link: http(s) as it is, a path ("/notice/…") on the gateway; anything else is refused.
  function linkHref(url) {
    url = String(url);
    if (/^https?:\/\//i.test(url)) return url;
    if (/^\/(?!\/)/.test(url)) return CONFIG.base + url;
    return "";
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function add(entry) {
    if (entry.who !== "system" || !entry.transient) {
      state.history.push(entry);
      save();
    }
    return renderEntry(entry, true);
  }

  function renderAll() {
    Array.prototype.slice.call(ui.log.querySelectorAll(".sw-row:not(.sw-typing)")).forEach(function (n) {
      n.parentNode.removeChild(n);
    });
    // The welcome is not part of the stored history: it always heads the conversation.
    renderEntry({
      who: "bot",
      text: TEXT.welcome,
      buttons: TEXT.suggestions.map(function (s) {
        return { title: s, payload: s };
      })
    });
    state.history.forEach(function (entry) {
      renderEntry(entry, false);
    });
    scrollToEnd();
  }

  function setBusy(busy) {
    ui.typing.hidden = !busy;
    ui.root.classList.toggle("sw-busy", busy);
    ui.send.disabled = busy;
    Array.prototype.forEach.call(ui.log.querySelectorAll(".sw-chip"), function (c) {
      c.disabled = busy;
    });
    if (busy) scrollToEnd();
  }

  // ---- talking to the gateway --------------------------------------------------------------------
  var busy = false;

  function submitInput() {
    var text = ui.input.value.trim();
    if (!text || busy) return;
    ui.input.value = "";
    autosize();
    send(text, text);
  }

  function asksForClerk(text) {
    return /转人工|人工服务|人工客服|找人工|真人/.test(text);
  }

  function fetchJson(method, url, body) {
    var ctrl = window.AbortController ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, CONFIG.timeoutMs) : null;
    return fetch(url, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: ctrl ? ctrl.signal : undefined,
      credentials: "omit",
      cache: "no-store"
    }).then(
      function (resp) {
        if (timer) clearTimeout(timer);
        return resp
          .json()
          .catch(function () {
            return null;
          })
          .then(function (json) {
            return { status: resp.status, body: json };
          });
      },
      function (err) {
        if (timer) clearTimeout(timer);
        throw err;
      }
    );
  }

  // message: what goes to the bot (a typed text or a button payload); shown: the user's bubble.
  // turnId names the message; a retry repeats it, so the gateway answers the message once even
  // when the first attempt reached it before the network failed.
  function send(message, shown, isRetry, turnId) {
    if (busy || !message) return;
    turnId = turnId || randomHex();
    busy = true;
    if (!isRetry) add({ who: "user", text: shown || message });
    if (message === TEXT.handoffMessage || asksForClerk(shown || message)) startHandoff();
    setBusy(true);
    fetchJson("POST", CONFIG.base + "/api/chat", { sender: state.sender, message: message, turn_id: turnId })
      .then(function (res) {
        var replies = res.body && Array.isArray(res.body.replies) ? res.body.replies : null;
        if ((res.status === 200 || res.status === 503) && replies && replies.length) {
          var firstRow = null;
          // While the bot asks for a call-back phone, the note says what it is for.
          var asksContact = replies.some(function (r) { return r && r.asks === "contact"; });
          ui.note.textContent = asksContact ? TEXT.privacyContact : TEXT.privacy;
          replies.forEach(function (r) {
            var buttons = Array.isArray(r.buttons)
              ? r.buttons.filter(function (b) { return b && typeof b.title === "string"; }).map(function (b) {
                  return b.url
                    ? { title: b.title, url: String(b.url) }
                    : { title: b.title, payload: String(b.payload || b.title) };
                })
              : [];
            if (r.text || buttons.length) {
              var row = add({ who: "bot", text: String(r.text || ""), buttons: buttons });
              firstRow = firstRow || row;
            }
            if (/转接人工/.test(String(r.text || ""))) startHandoff();
          });
          // A long card is read from its top: show where the answer starts, not where it ends.
          if (firstRow) ui.log.scrollTop = Math.max(0, firstRow.offsetTop - 48);
        } else if (res.status === 429) {
          add({ who: "system", text: TEXT.tooFast, transient: true });
        } else {
          add({ who: "system", text: TEXT.failed, transient: true });
        }
      })
      .catch(function () {
        add({
          who: "system",
          text: TEXT.network,
          transient: true,
          buttons: [{ title: TEXT.retry, payload: message, retry: true, turnId: turnId }]
        });
      })
      .then(function () {
        busy = false;
        setBusy(false);
        if (isOpen()) ui.input.focus();
      });
  }

  // ---- clerk messages after a hand-off -----------------------------------------------------------
  var pollTimer = null;
  var polling = false;
  var pollDelay = CONFIG.pollMs;

  function handoffActive() {
    return state.handoffUntil > Date.now();
  }

  function startHandoff() {
    state.handoffUntil = Date.now() + CONFIG.handoffMs;
    save();
    ui.root.classList.add("sw-handoff-on");
    schedulePoll(CONFIG.pollMs);
  }

  function schedulePoll(delay) {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
    if (!isOpen() || !handoffActive()) return;
    pollTimer = setTimeout(pollInbox, delay);
  }

  function pollInbox() {
    pollTimer = null;
    if (polling || !isOpen() || !handoffActive()) return;
    if (document.hidden) {
      schedulePoll(CONFIG.pollMs);
      return;
    }
    polling = true;
    var url =
      CONFIG.base + "/api/inbox/" + encodeURIComponent(state.sender) + "?after=" + encodeURIComponent(state.inboxAfter);
    fetchJson("GET", url)
      .then(function (res) {
        if (res.status === 200 && res.body && Array.isArray(res.body.messages)) {
          res.body.messages.forEach(function (m) {
            var id = +m.id;
            if (!m || !isFinite(id) || id <= state.inboxAfter || typeof m.text !== "string") return;
            state.inboxAfter = id;
            state.handoffUntil = Date.now() + CONFIG.handoffMs;
            add({ who: "clerk", text: m.text, at: m.at });
          });
          save();
          pollDelay = CONFIG.pollMs;
        } else {
          // 404 (no inbox endpoint yet, or nothing for this sender) and other answers: keep trying, slower.
          pollDelay = Math.min(pollDelay * 2, CONFIG.pollMs * 8);
        }
      })
      .catch(function () {
        pollDelay = Math.min(pollDelay * 2, CONFIG.pollMs * 8);
      })
      .then(function () {
        polling = false;
        schedulePoll(pollDelay);
      });
  }

  // ---- opening, closing, resetting ---------------------------------------------------------------
  function isOpen() {
    return !ui.dialog.hidden;
  }

  function open(focus) {
    ui.dialog.hidden = false;
    ui.root.classList.add("sw-open");
    ui.launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    save();
    scrollToEnd();
    if (focus !== false) ui.input.focus();
    pollDelay = CONFIG.pollMs;
    schedulePoll(0);
  }

  function close() {
    if (!isOpen()) return;
    ui.dialog.hidden = true;
    ui.root.classList.remove("sw-open");
    ui.launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    schedulePoll(0);
    ui.launcher.focus();
  }

  function reset() {
    state = freshState();
    state.open = isOpen();
    save();
    ui.root.classList.remove("sw-handoff-on");
    renderAll();
    ui.input.focus();
  }

  function init() {
    loadCss();
    build();
    renderAll();
    if (handoffActive()) ui.root.classList.add("sw-handoff-on");
    // Reopen after a reload if the person had the window open, without taking focus from the page.
    if (state.open) open(false);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) schedulePoll(0);
    });
  }

  window.ShouwenWidget = {
    version: "1.0",
    config: CONFIG,
    open: function () {
      open(true);
    },
    close: close,
    send: function (text) {
      if (!isOpen()) open(true);
      send(String(text), String(text));
    },
    reset: reset,
    sender: function () {
      return state.sender;
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
