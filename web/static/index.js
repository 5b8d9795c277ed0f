// Start a chat: a new session id; the persona, name and mode travel in the chat page's URL, so a
// reload resumes the same session.
document.getElementById("start").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const trainee = form.trainee.value.trim();
  const error = document.getElementById("start-error");
  if (!trainee) {
    error.textContent = "Enter your name first.";
    error.hidden = false;
    form.trainee.focus();
    return;
  }
  const persona = event.submitter ? event.submitter.value : "";
  const mode = form.querySelector("input[name=mode]:checked").value;
  const id = crypto.randomUUID().replace(/-/g, "");
  window.location.href = `/chat/${id}?${new URLSearchParams({ persona, trainee, mode })}`;
});
