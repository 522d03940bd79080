// The signed-in session: its bearer token lives in localStorage so a reload stays signed in.
import { cache } from "./cache";

const KEY = "parley.token";
type Listener = () => void;
const listeners = new Set<Listener>();

export const session = {
  token(): string | null {
    return localStorage.getItem(KEY);
  },
  signIn(token: string) {
    localStorage.setItem(KEY, token);
    listeners.forEach((l) => l());
  },
  // Signed out, or the server no longer knows the token (signed out elsewhere, expired):
  // forget it, and everything the device kept of the chat.
  expire() {
    localStorage.removeItem(KEY);
    cache.clear();
    listeners.forEach((l) => l());
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
