// Sign in with a phone number and the 6-digit code sent to it.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { session } from "../api/session";
import { ErrorText } from "../ui/ErrorText";

export function SignIn() {
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(step: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const requestCode = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const issued = await api<{ phone: string }>("POST", "/api/v1/auth/codes", { phone });
      setSentTo(issued.phone);
    });
  };
  const verify = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const opened = await api<{ token: string }>("POST", "/api/v1/auth/sessions", { phone: sentTo, code });
      session.signIn(opened.token);
    });
  };

  return (
    <main class="signin">
      <h1>Parley</h1>
      {sentTo === null ? (
        <form onSubmit={requestCode}>
          <label for="phone">Phone number</label>
          <input id="phone" type="tel" autocomplete="tel" required value={phone} onInput={(e) => setPhone(e.currentTarget.value)} placeholder="+65 9123 4567" />
          <button type="submit" disabled={busy}>
            Send code
          </button>
        </form>
      ) : (
        <form onSubmit={verify}>
          <p>We sent a 6-digit code to {sentTo}.</p>
          <label for="code">Code</label>
          <input id="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
          <button type="button" class="link" onClick={() => setSentTo(null)}>
            Use another number
          </button>
        </form>
      )}
      <ErrorText error={error} />
    </main>
  );
}
