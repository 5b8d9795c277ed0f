// The chat widget: Rasa's socket.io channel; the customer's messages appear at the times the
// server scheduled (what the trainee sees matches what the interruption check assumes, whatever
// this computer's clock says: every server time is read through the offset between the two
// clocks); mood and hints in practice mode; a reload shows the session so far from the web app's
// API, and what the customer is still typing only when they have typed it.
(() => {
  const root = document.getElementById("chat");
  const { sender, persona, mode, rasa, name } = root.dataset;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const list = document.getElementById("messages");
  const typing = document.getElementById("typing");
  const status = document.getElementById("status");
  const hint = document.getElementById("hint");
  const mood = document.getElementById("mood");
  const moodValue = document.getElementById("mood-value");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  let pending = 0;
  let ended = false;
  let started = false;
  // The server's clock minus this one, in ms, from the server time each answer carries. Network
  // delay makes it a little small, so messages show a little late: never before they are typed.
  let clockOffset = 0;

  function syncClock(serverTime) {
    if (typeof serverTime === "number") clockOffset = serverTime * 1000 - Date.now();
  }

  function untilServerTime(at) {
    return Math.max(0, at * 1000 - (Date.now() + clockOffset));
  }

  const WHO = { customer: name, agent: "You", system: "Extra Mile" };

  function add(speaker, text) {
    const item = document.createElement("li");
    item.className = `msg ${speaker}`;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = WHO[speaker] || speaker;
    const body = document.createElement("span");
    body.className = "text";
    body.textContent = text; // always text, never HTML
    item.append(who, body);
    list.append(item);
    item.scrollIntoView({ block: "end" });
  }

  function showStatus(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  function setMood(value) {
    if (mood && typeof value === "number") {
      mood.value = value;
      moodValue.textContent = String(value);
    }
  }

  const endLink = document.getElementById("end");
  let leaving = false;

  function end() {
    if (leaving) window.location.assign(endLink.href);
    ended = true;
    input.disabled = true;
    form.querySelector("button[type=submit]").disabled = true;
    showStatus("The session has ended. Open your scorecard to see how you did.");
    endLink.textContent = "See scorecard";
  }

  function showWhenTyped(message) {
    pending += 1;
    typing.hidden = false;
    setTimeout(() => {
      add("customer", message.text);
      pending -= 1;
      typing.hidden = pending === 0;
    }, untilServerTime(message.at));
  }

  function onTurn(turn) {
    syncClock(turn.server_time);
    const messages = turn.messages || [];
    messages.forEach(showWhenTyped);
    const after = messages.length ? untilServerTime(turn.ends_at) : 0;
    setTimeout(() => {
      (turn.notices || []).forEach((notice) => add("system", notice.replace(/^\[Extra Mile\] /, "")));
      if (hint && "hint" in turn) {
        // Coaching is about the latest message: a message that lost no points clears it.
        hint.textContent = turn.hint || "";
        hint.hidden = !turn.hint;
      }
      setMood(turn.mood);
      if (turn.outcome) end();
    }, after);
  }

  async function showHistory() {
    const reply = await fetch(`/api/sessions/${encodeURIComponent(sender)}/chat`);
    if (!reply.ok) return false;
    const history = await reply.json();
    syncClock(history.server_time);
    history.messages.forEach((message) => {
      // A customer message still being typed appears when it is typed, as it would have live.
      if (message.speaker === "customer" && untilServerTime(message.at) > 0) showWhenTyped(message);
      else add(message.speaker, message.text);
    });
    setMood(history.mood);
    if (history.outcome) end();
    return history.messages.length > 0;
  }

  // The chat server lets this page into this conversation only with a short-lived token the web
  // app issues to the signed-in trainee; a new one is fetched for every (re)connection.
  let refusal = "";
  async function chatToken() {
    const reply = await fetch("/api/chat-token", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ conversation_id: sender, persona, mode }),
    });
    const body = await reply.json().catch(() => ({}));
    if (!reply.ok) throw new Error(body.error || `the web app answered ${reply.status}`);
    return body.token;
  }
  const socket = io(rasa, {
    path: "/socket.io",
    transports: ["websocket"],
    auth: (callback) => {
      chatToken().then(
        (token) => { refusal = ""; callback({ token }); },
        (error) => { refusal = `${error.message}. Reload the page or sign in again.`; callback({}); },
      );
    },
  });

  // Each message keeps one id, so a resend after a lost answer is never logged twice.
  const messageId = () => crypto.randomUUID().replace(/-/g, "");
  function send(text) {
    socket.emit("user_uttered", { message: text, session_id: sender, message_id: messageId() });
  }

  socket.on("connect", () => {
    showStatus(ended ? status.textContent : "");
    socket.emit("session_request", { session_id: sender });
  });
  socket.on("session_confirm", async () => {
    if (started) return;
    started = true;
    try {
      if (!(await showHistory())) send("/start_session");
    } catch (error) {
      showStatus("Could not load this session from the server. Reload the page to try again.");
    }
  });
  socket.on("bot_uttered", (data) => {
    // Plain text messages repeat what the turn payload carries: the payload drives the display.
    if (data && data.custom && data.custom.extra_mile) onTurn(data.custom.extra_mile);
  });
  const LOST = "Connection lost. Reconnecting…";
  socket.on("connect_error", (error) => {
    if (ended) return;
    // A refusal from the chat server says why (an expired or foreign token): show it.
    const refused = refusal || (error && error.message && error.message !== "websocket error" ? error.message : "");
    showStatus(refused || (started ? LOST : "Cannot reach the chat server. Retrying…"));
  });
  socket.on("disconnect", () => {
    if (!ended) showStatus(LOST);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || ended) return;
    if (!socket.connected) {
      showStatus("Not connected: your message was not sent. Wait for the connection to come back.");
      return;
    }
    input.value = "";
    add("agent", text);
    send(text);
  });
  // "End chat" ends the session on the server first, so it is logged as ended and scored as it
  // stands; without a connection the scorecard still opens, showing the session so far.
  endLink.addEventListener("click", (event) => {
    if (ended || !socket.connected) return;
    event.preventDefault();
    leaving = true;
    endLink.textContent = "Ending…";
    send("/end_session");
    setTimeout(() => window.location.assign(endLink.href), 5000);
  });
  input.focus();
})();
